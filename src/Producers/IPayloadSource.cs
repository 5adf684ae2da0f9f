namespace ActorPipeline.Producers;

/// <summary>
/// What feeds a producer, as the producer actor sees it: encoded items. The hosting library adapts the
/// user's <see cref="IItemSource{T}"/> to it with the pipeline's codec.
/// </summary>
internal interface IPayloadSource
{
    /// <summary>The encoded items one producer puts; it ends when the stream ends.</summary>
    IAsyncEnumerable<ReadOnlyMemory<byte>> ReadAsync(SourceContext context, CancellationToken cancellationToken);

    /// <summary>How the producer's log lines show an item; hex unless the source knows the item type.</summary>
    ItemFormatter Formatter => ItemFormatter.Hex;
}
