namespace ActorPipeline.Coordinator.Protocol;

/// <summary>Where a job is. Only forward: Open, then Closed, then Settled; or Cancelled from Open or Closed.</summary>
internal enum JobPhase
{
    /// <summary>It takes puts.</summary>
    Open,

    /// <summary>Closed for adding: it settles once every item accepted into it is completed, dead-lettered or discarded.</summary>
    Closed,

    /// <summary>Every accepted item is completed, dead-lettered or discarded: its join is answered.</summary>
    Settled,

    /// <summary>Cancelled on purpose: what was unfinished was discarded, and it is settled.</summary>
    Cancelled,
}
