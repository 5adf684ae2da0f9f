namespace ActorPipeline.Coordinator;

/// <summary>An accepted, unfinished item: queued (no current delivery) or in flight with one consumer.</summary>
internal sealed class ItemState(long id, QueueItem item)
{
    public long Id { get; } = id;

    public QueueItem Item { get; } = item;

    /// <summary>The delivery that may complete it now; 0 while it is queued.</summary>
    public long CurrentDelivery { get; set; }

    public ConsumerState? Holder { get; set; }

    /// <summary>
    /// Earlier deliveries of this item (timed out or handed back). A late task_done for one of them
    /// still completes the item, once; the item's other deliveries then count as duplicates.
    /// </summary>
    public List<long>? Superseded { get; set; }

    public bool IsQueued => CurrentDelivery == 0;
}
