namespace ActorPipeline;

/// <summary>
/// Where results go (a file, a table). Each completed item's result is written at least once, before the item
/// is marked done: a redelivered item (its consumer's node stopped after the write) is written again with the
/// same <see cref="ItemResult{TResult}.ItemId"/>, so a sink that keys on it is exactly-once in effect.
/// Throwing fails the attempt like a throwing handler: it is retried.
/// </summary>
/// <typeparam name="TResult">The work handler's result type.</typeparam>
public interface IResultSink<TResult>
{
    /// <summary>Stores one item's result.</summary>
    /// <param name="result">The result, with the item's stable id.</param>
    /// <param name="cancellationToken">Cancelled with the attempt.</param>
    ValueTask WriteAsync(ItemResult<TResult> result, CancellationToken cancellationToken);
}
