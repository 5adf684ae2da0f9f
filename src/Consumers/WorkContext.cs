namespace ActorPipeline;

/// <summary>
/// What a work handler is told about the item in hand besides the item itself: which item it is (an id that
/// stays the same across redeliveries and restarts), which attempt and which delivery this is, and the token
/// that cancels the attempt.
/// </summary>
public sealed class WorkContext
{
    /// <summary>
    /// A context for calling a handler yourself, as in a unit test of the handler; the pipeline makes its own for
    /// every attempt. <see cref="ConsumerId"/> and <see cref="DeliveryId"/> are 0, <see cref="PutAt"/> is now.
    /// </summary>
    /// <param name="itemId">The item's id.</param>
    /// <param name="attempt">The attempt, from 1.</param>
    /// <param name="deliveryCount">How often the item has been delivered, from 1.</param>
    /// <param name="cancellationToken">The attempt's cancellation.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="attempt"/> or <paramref name="deliveryCount"/> is below 1.</exception>
    public WorkContext(long itemId, int attempt = 1, int deliveryCount = 1, CancellationToken cancellationToken = default)
        : this(0, new DeliveredItem(0, new QueueItem(ReadOnlyMemory<byte>.Empty, DateTime.UtcNow), itemId, deliveryCount), attempt, cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(deliveryCount, 1);
    }

    internal WorkContext(int consumerId, DeliveredItem delivered, int attempt, CancellationToken cancellationToken)
    {
        ConsumerId = consumerId;
        DeliveryId = delivered.DeliveryId;
        Item = delivered.Item;
        ItemId = delivered.ItemId;
        DeliveryCount = delivered.DeliveryCount;
        Attempt = attempt;
        CancellationToken = cancellationToken;
    }

    /// <summary>
    /// The item's id in the queue: the same in every delivery and every attempt of it, before and after a
    /// restart of any node. Use it as the idempotency key of what the work changes (a row's key, a file's name).
    /// </summary>
    public long ItemId { get; }

    /// <summary>This attempt's number on this delivery, from 1; a failed attempt is retried up to <c>Pipeline:Consumers:MaxAttempts</c>.</summary>
    public int Attempt { get; }

    /// <summary>
    /// How often the queue has handed the item to a consumer, this delivery included: more than 1 when an earlier
    /// consumer lost it (its node stopped, its lease ran out) or it was put back from the dead letters.
    /// </summary>
    public int DeliveryCount { get; }

    /// <summary>The number of the consumer working on it, on its node (the seed's <c>Consumer 3</c>).</summary>
    public int ConsumerId { get; }

    /// <summary>This delivery's id: a new one every time the item is delivered, so not an idempotency key.</summary>
    public long DeliveryId { get; }

    /// <summary>When the producer put the item, UTC.</summary>
    public DateTime PutAt => Item.PutAt;

    /// <summary>
    /// Cancelled when this attempt must stop: its node is stopping (the item goes back to the queue, unharmed),
    /// or it ran past <c>Pipeline:Consumers:HandlerTimeout</c> (the attempt then counts as failed).
    /// </summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The item as it travels: its encoded payload.</summary>
    internal QueueItem Item { get; }
}
