namespace ActorPipeline.Producers;

/// <summary>
/// What feeds a producer: the items it puts, in order, taking as long as producing them takes.
/// The seed's random hex items are the default (<see cref="RandomItemSource"/>); plug in a file,
/// a database or a socket to put real work on the queue.
/// </summary>
public interface IItemSource
{
    /// <summary>
    /// The items producer <paramref name="producerId"/> puts; it ends when the stream ends. The first
    /// <paramref name="skip"/> items were already accepted from this producer before a restart: a source
    /// that can repeat itself (a file, a seeded generator) starts after them, so a resumed run puts nothing twice.
    /// </summary>
    IAsyncEnumerable<ReadOnlyMemory<byte>> ReadAsync(int producerId, long skip, CancellationToken cancellationToken);
}
