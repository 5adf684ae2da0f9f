namespace ActorPipeline.Producers;

/// <summary>
/// What feeds a producer: the items it puts, in order, taking as long as producing them takes.
/// The seed's random hex items are the default (<see cref="RandomItemSource"/>); plug in a file,
/// a database or a socket to put real work on the queue.
/// </summary>
public interface IItemSource
{
    /// <summary>
    /// The items a producer puts; it ends when the stream ends. <paramref name="index"/> is the producer's
    /// number on its node (the seed's <c>Producer 3</c>), <paramref name="producerId"/> its id across the
    /// cluster (node address and index). The first <paramref name="skip"/> items were already accepted
    /// from this producer id before a restart: a source that can repeat itself (a file, a seeded
    /// generator) starts after them, so a resumed run puts nothing twice.
    /// </summary>
    IAsyncEnumerable<ReadOnlyMemory<byte>> ReadAsync(int index, string producerId, long skip, CancellationToken cancellationToken);
}
