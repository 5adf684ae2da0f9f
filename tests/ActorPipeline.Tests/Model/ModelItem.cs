using ActorPipeline.Coordinator.Protocol;

namespace ActorPipeline.Tests.Model;

/// <summary>The reference model's view of one accepted item.</summary>
internal sealed class ModelItem(int label, long order, ModelJob job)
{
    public int Label { get; } = label;

    /// <summary>The job it was put into (the run's in a batch run).</summary>
    public ModelJob Job { get; } = job;

    /// <summary>Acceptance order (the coordinator's item id order): recovery queues unfinished items in it.</summary>
    public long Order { get; set; } = order;

    public ModelItemStatus Status { get; set; } = ModelItemStatus.Queued;

    public long Current { get; set; }

    public ModelConsumer? Holder { get; set; }

    /// <summary>When its lease last started: its delivery, or its consumer's last renewal.</summary>
    public long DeliveredAt { get; set; }

    /// <summary>The order leases were started or renewed in, which is the order they expire in.</summary>
    public long LeaseOrder { get; set; }

    /// <summary>The delivery ids whose task_done may still complete it: the last eight, the current one included.</summary>
    public List<long> Known { get; } = [];

    public bool IsFinished => Status is ModelItemStatus.Completed or ModelItemStatus.DeadLettered or ModelItemStatus.Dropped or ModelItemStatus.Discarded;
}

internal enum ModelItemStatus
{
    Queued,
    InFlight,
    Completed,
    DeadLettered,
    Dropped,
    Discarded,
}

/// <summary>A simulated consumer: what it holds and has seen, and what the coordinator should know of it.</summary>
internal sealed class ModelConsumer(string name, bool windowed)
{
    private int _restarts;

    public string Name { get; } = name;

    public bool Windowed { get; } = windowed;

    public ModelClient Client { get; private set; } = new(name);

    public HashSet<long> Held { get; } = [];

    public long LastSeen { get; set; }

    public bool LoseNextDelivery { get; set; }

    /// <summary>The coordinator's idea of its window or credits.</summary>
    public int Window { get; set; }

    public int Credits { get; set; }

    public long LastDelivered { get; set; }

    public void Restart()
    {
        Client = new ModelClient($"{Name}#{++_restarts}");
        Held.Clear();
        LastSeen = 0;
        LoseNextDelivery = false;
        Window = 0;
        Credits = 0;
    }
}

/// <summary>A simulated producer and the model's view of it.</summary>
internal sealed class ModelProducer(string id)
{
    private int _restarts;

    public string Id { get; } = id;

    public ModelClient Client { get; private set; } = new(id);

    /// <summary>The client the coordinator last heard this producer id from (it watches that one).</summary>
    public ModelClient? HeardFrom { get; set; }

    public ModelProducerPhase Phase { get; set; }

    public bool Registered { get; set; }

    public long Sequence { get; set; }

    public long HighestAccepted { get; set; }

    /// <summary>Items admitted from it in this run, and the put admitted only in part since its last complete one (0: none).</summary>
    public long AcceptedItems { get; set; }

    public long PartialSeq { get; set; }

    /// <summary>The put it waits on, if any, and how many of its items the coordinator admitted so far.</summary>
    public (long Seq, int[] Labels, bool Wait)? Pending { get; set; }

    /// <summary>The job its pending put names.</summary>
    public string PendingJob { get; set; } = JobIds.Run;

    /// <summary>The job the coordinator binds it to from its first admitted item (null before): it puts into that one only.</summary>
    public string? Job { get; set; }

    public int PendingAdmitted { get; set; }

    /// <summary>Whether the coordinator holds the pending put as parked (false after a crash or its client's stop: it must be resent).</summary>
    public bool PendingParked { get; set; }

    public (long Seq, int Count)? LastAccepted { get; set; }

    public long? SilentSince { get; set; }

    public void Restart()
    {
        Client = new ModelClient($"{Id}#{++_restarts}");
        PendingParked = false;
    }
}

internal enum ModelProducerPhase
{
    Unregistered,
    Active,
    Done,
    Lost,
}

/// <summary>The reference model's view of one job: its phase, timings and figures, its own queue, and its place in the turns.</summary>
internal sealed class ModelJob(string id, string name, int weight, DateTime openedAt)
{
    private int _joinerRestarts;

    public string Id { get; } = id;

    public string Name { get; } = name;

    public int Weight { get; } = weight;

    public DateTime OpenedAt { get; set; } = openedAt;

    public JobPhase Phase { get; set; } = JobPhase.Open;

    public DateTime? ClosedAt { get; set; }

    public DateTime? SettledAt { get; set; }

    public bool IsSettled => Phase is JobPhase.Settled or JobPhase.Cancelled;

    public long Accepted { get; set; }

    public long Completed { get; set; }

    public long Discarded { get; set; }

    public long Dropped { get; set; }

    /// <summary>Who put into it and how many items each had accepted, in the order they first put.</summary>
    public Dictionary<string, long> Producers { get; } = [];

    /// <summary>Its queued items, head first (asyncio's FIFO, per job).</summary>
    public List<ModelItem> Queue { get; } = [];

    /// <summary>Whether it is in the ring of jobs taking turns, and how many it took in its current turn.</summary>
    public bool InRing { get; set; }

    public int Taken { get; set; }

    /// <summary>The client that joins it, and whether its join waits.</summary>
    public ModelClient Joiner { get; private set; } = new($"{id}-joiner");

    public bool JoinPending { get; set; }

    public void RestartJoiner()
    {
        Joiner = new ModelClient($"{Id}-joiner#{++_joinerRestarts}");
        JoinPending = false;
    }
}
