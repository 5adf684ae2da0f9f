namespace ActorPipeline.Coordinator.State;

/// <summary>
/// The queue's journaled figures beside its items and producers: which run and incarnation this is, how far
/// ids have gone, what the run has counted, and whether the queue takes puts. A value: <see cref="CoordinatorState{TClient}"/>
/// replaces it only in <c>Apply</c>, a snapshot carries a copy, and a restore hands one back whole, so no second
/// writer can count a figure another way.
/// </summary>
internal readonly record struct QueueTotals
{
    /// <summary>A new queue: the first run, no incarnation yet, open.</summary>
    public static readonly QueueTotals Initial = new() { RunNumber = 1 };

    /// <summary>The batch run the queue's items belong to; the next start after a finished run begins the next.</summary>
    public long RunNumber { get; init; }

    /// <summary>Whether the run's end was journaled: its summary has been given and nothing more is put into it.</summary>
    public bool RunFinished { get; init; }

    /// <summary>The coordinator's incarnation: delivery ids carry it, so an id from before a crash is never reused.</summary>
    public long Incarnation { get; init; }

    public long LastItemId { get; init; }

    public long LastDeliveryId { get; init; }

    public long Accepted { get; init; }

    public long Completed { get; init; }

    /// <summary>Items an immediate shutdown dropped.</summary>
    public long Dropped { get; init; }

    /// <summary>Deliveries that came back to the queue (released, expired, their consumer gone, or a restart).</summary>
    public long Redelivered { get; init; }

    public long DuplicateAcks { get; init; }

    /// <summary>Dead letters an operator discarded for good.</summary>
    public long Discarded { get; init; }

    /// <summary>Whether an operator ended the run for adding.</summary>
    public bool EndedByOperator { get; init; }

    public QueueMode Mode { get; init; }
}
