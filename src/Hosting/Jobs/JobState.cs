namespace ActorPipeline;

/// <summary>Where a job is. It only moves forward: open, then closed, then settled; or cancelled from open or closed.</summary>
public enum JobState
{
    /// <summary>It takes items.</summary>
    Open,

    /// <summary>Closed for adding: it is settled once every item accepted into it is completed, dead-lettered or discarded.</summary>
    Closed,

    /// <summary>Every item accepted into it is completed, dead-lettered or discarded: its join has returned.</summary>
    Settled,

    /// <summary>Cancelled on purpose: what was unfinished was discarded, and it is settled.</summary>
    Cancelled,
}
