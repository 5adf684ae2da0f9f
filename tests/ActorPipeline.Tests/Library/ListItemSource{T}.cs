using System.Runtime.CompilerServices;

namespace ActorPipeline.Tests.Library;

/// <summary>Yields the given items to the producer with index 0, after the ones it already put (<see cref="SourceContext.Skip"/>).</summary>
internal sealed class ListItemSource<T>(params T[] items) : IItemSource<T>
{
    public async IAsyncEnumerable<T> ReadAsync(SourceContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (context.Index != 0)
        {
            yield break;
        }

        foreach (var item in items.Skip((int)context.Skip))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return item;
        }
    }
}
