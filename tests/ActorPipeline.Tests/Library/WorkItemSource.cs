using System.Runtime.CompilerServices;

namespace ActorPipeline.Tests.Library;

/// <summary>Gives every producer <paramref name="itemsPerProducer"/> items of its own, resuming after those it already put.</summary>
internal sealed class WorkItemSource(int itemsPerProducer) : IItemSource<WorkItem>
{
    public int ItemsPerProducer => itemsPerProducer;

    /// <summary>Every item the producers of a node with <paramref name="producers"/> of them put.</summary>
    public IEnumerable<WorkItem> All(int producers) =>
        Enumerable.Range(0, producers).SelectMany(p => Enumerable.Range(0, itemsPerProducer).Select(n => new WorkItem(p, n)));

    public async IAsyncEnumerable<WorkItem> ReadAsync(SourceContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var n = (int)context.Skip; n < itemsPerProducer; n++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return new WorkItem(context.Index, n);
        }
    }
}
