namespace ActorPipeline.Coordinator.State;

/// <summary>An accepted, unfinished item: queued (no current delivery) or in flight with one consumer.</summary>
internal sealed class ItemState<TClient>(long id, QueueItem item, JobState<TClient> job)
    where TClient : class
{
    /// <summary>Most delivery ids an item remembers, the current one included; a task_done for an older one counts as a duplicate.</summary>
    public const int MaxKnownDeliveries = 8;

    public long Id { get; } = id;

    public QueueItem Item { get; } = item;

    /// <summary>The job it was accepted into.</summary>
    public JobState<TClient> Job { get; } = job;

    /// <summary>The delivery that may complete it now; 0 while it is queued.</summary>
    public long CurrentDelivery { get; set; }

    public ConsumerState<TClient>? Holder { get; set; }

    /// <summary>
    /// Earlier deliveries of this item (timed out or handed back), oldest first. A late task_done for one
    /// of them still completes the item, once; the item's other deliveries then count as duplicates.
    /// </summary>
    public List<long>? Superseded { get; set; }

    /// <summary>Queued, in flight or finished; only <c>CoordinatorState.Move</c> changes it, and the state's counts with it.</summary>
    public ItemPlace Place { get; set; }

    /// <summary>
    /// How often it has been delivered, the current delivery included: rebuilt from the journal's deliveries
    /// and kept in snapshots. A dead letter put back starts at 1, since it was delivered before.
    /// </summary>
    public int Deliveries { get; set; }

    /// <summary>Put back from the dead letters: delivered before, under an earlier state of the same item.</summary>
    public bool FromDeadLetters { get; init; }

    /// <summary>Whether a delivery now would be its first: only those are put→get latencies (a redelivery's wait is not the queue's).</summary>
    public bool NeverDelivered => Superseded is null && !FromDeadLetters;

    /// <summary>When its current delivery was made (the state's clock), to tell long work from a lost consumer in the log.</summary>
    public long DeliveredAt { get; set; }

    // In flight, the item is also a link of the deadline list (oldest delivery first), so that a
    // finished item leaves it in O(1) and the list never holds more than what is in flight.
    public long Deadline { get; set; }

    public ItemState<TClient>? Earlier { get; set; }

    public ItemState<TClient>? Later { get; set; }

    public bool InDeadlineList { get; set; }
}
