namespace ActorPipeline.Coordinator.State;

/// <summary>Whether the queue takes puts (asyncio's <c>shutdown()</c>, Python 3.13).</summary>
internal enum QueueMode
{
    Open,

    /// <summary>Graceful: puts are refused, what is queued is still handed out.</summary>
    ShutDown,

    /// <summary>Immediate: puts are refused and whatever is or comes back queued is dropped.</summary>
    ShutDownImmediately,
}
