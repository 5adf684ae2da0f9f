using System.Runtime.CompilerServices;

namespace ActorPipeline.Benchmarks;

/// <summary>The load run's items through the public source interface: the same bytes <see cref="BenchItemSource"/> yields to the actors.</summary>
internal sealed class BenchItems(LoadSettings settings) : IItemSource<byte[]>
{
    private readonly BenchItemSource _items = new(settings);

    public async IAsyncEnumerable<byte[]> ReadAsync(SourceContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in _items.ReadAsync(context, cancellationToken))
        {
            yield return item.ToArray();
        }
    }
}
