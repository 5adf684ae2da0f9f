namespace ActorPipeline;

/// <summary>
/// What feeds the producers: the items one producer puts, in order, taking as long as producing them takes.
/// Every producer on a node reads the same source with its own <see cref="SourceContext"/>: a source shared by
/// several producers partitions itself by <see cref="SourceContext.Index"/> and <see cref="SourceContext.Count"/>
/// (for example, item <c>i</c> goes to producer <c>i % Count</c>), or yields nothing for all but one index.
/// </summary>
/// <typeparam name="T">The item type; the pipeline's codec turns it into the bytes the queue carries.</typeparam>
public interface IItemSource<out T>
{
    /// <summary>
    /// The items one producer puts; its work is done when the stream ends. Start after
    /// <see cref="SourceContext.Skip"/> items: those were accepted from this producer before a restart.
    /// </summary>
    /// <param name="context">Which producer reads, how many share the source, and what to skip.</param>
    /// <param name="cancellationToken">Cancelled when the producer stops (its node is stopping).</param>
    IAsyncEnumerable<T> ReadAsync(SourceContext context, CancellationToken cancellationToken);
}
