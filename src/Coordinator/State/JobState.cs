namespace ActorPipeline.Coordinator.State;

/// <summary>
/// What the coordinator knows of one job: its phase and timings (journaled), its counts (derived from the
/// applied events: the queued and in-flight ones kept by <c>CoordinatorState.Move</c> alone, the rest by
/// <c>Apply</c>), and, live only, its queue of items in order and who waits for its join.
/// </summary>
internal sealed class JobState<TClient>(string id, string name, int weight, DateTime openedAt)
    where TClient : class
{
    public string Id { get; } = id;

    public string Name { get; } = name;

    /// <summary>Items it gets per turn when several jobs have items queued.</summary>
    public int Weight { get; } = weight;

    public DateTime OpenedAt { get; } = openedAt;

    public JobPhase Phase { get; set; } = JobPhase.Open;

    public DateTime? ClosedAt { get; set; }

    public DateTime? SettledAt { get; set; }

    public bool IsSettled => Phase is JobPhase.Settled or JobPhase.Cancelled;

    public long Accepted { get; set; }

    public long Completed { get; set; }

    /// <summary>Its items that are dead letters now (a requeue takes one back, a discard moves it to <see cref="Discarded"/>).</summary>
    public long DeadLettered { get; set; }

    /// <summary>Its items discarded: by its cancel, or an operator's discard of its dead letters.</summary>
    public long Discarded { get; set; }

    /// <summary>Its items an immediate shutdown dropped; its status counts them discarded, the queue's totals apart.</summary>
    public long Dropped { get; set; }

    /// <summary>Its items waiting for a consumer; only <c>CoordinatorState.Move</c> writes it.</summary>
    public int Queued { get; set; }

    /// <summary>Its items with a consumer; only <c>CoordinatorState.Move</c> writes it.</summary>
    public int InFlight { get; set; }

    public long Unfinished => Queued + InFlight;

    /// <summary>Who put into it and how many items each had accepted, in the order they first put.</summary>
    public Dictionary<string, long> Producers { get; } = [];

    // ---- live only -------------------------------------------------------------------------------

    /// <summary>Its queued items in order (asyncio's FIFO, per job); a finished one is skipped.</summary>
    public Deque<ItemState<TClient>> Queue { get; } = new();

    /// <summary>Whether it is in the ring of jobs that take turns at the consumers.</summary>
    public bool InRing { get; set; }

    /// <summary>Items it was handed in its current turn (its turn ends at <see cref="Weight"/>).</summary>
    public int TakenThisTurn { get; set; }

    /// <summary>Who waits for its join.</summary>
    public HashSet<TClient> Joiners { get; } = [];
}
