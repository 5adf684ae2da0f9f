namespace ActorPipeline.Coordinator.State;

/// <summary>Where an accepted item is; the coordinator's queued and in-flight counts follow from it, in one method.</summary>
internal enum ItemPlace
{
    /// <summary>Known to nobody yet: not counted.</summary>
    New,

    /// <summary>Waiting in the queue for a consumer (asyncio's <c>qsize()</c>).</summary>
    Queued,

    /// <summary>Delivered and not yet done: its current delivery may complete it.</summary>
    InFlight,

    /// <summary>Completed, dead-lettered or dropped: an entry of it still in the queue's deque is skipped.</summary>
    Finished,
}
