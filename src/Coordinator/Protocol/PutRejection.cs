namespace ActorPipeline.Coordinator.Protocol;

/// <summary>Why a put was not (wholly) accepted.</summary>
internal enum PutRejection
{
    /// <summary>A try-put found no room (asyncio's <c>QueueFull</c>).</summary>
    Full,

    /// <summary>The queue is shut down (asyncio's <c>QueueShutDown</c>).</summary>
    ShutDown,

    /// <summary>An item of the put is larger than <see cref="QueueOptions.MaxItemBytes"/>; nothing of the put was admitted.</summary>
    TooLarge,

    /// <summary>The batch run this put was meant for is over (every producer done or lost, nothing unfinished): nothing more is accepted into it.</summary>
    RunOver,

    /// <summary>An operator ended the run (<see cref="QueueEvents.RunEndedByOperator"/>): this producer puts nothing more into it, and that is not a failure.</summary>
    RunEnded,

    /// <summary>Its producer was stopped while the put waited for room and took the rest back (<see cref="QueueProtocol.WithdrawPut"/>): not a failure.</summary>
    Withdrawn,

    /// <summary>The job it names is closed for adding, settled or cancelled: nothing more goes into it.</summary>
    JobClosed,

    /// <summary>No job has the id it names (never opened, or forgotten past its retention).</summary>
    NoSuchJob,
}
