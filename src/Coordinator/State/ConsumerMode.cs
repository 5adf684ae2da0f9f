namespace ActorPipeline.Coordinator.State;

/// <summary>How a consumer asks for items; a consumer is in one mode at a time, the last it used.</summary>
internal enum ConsumerMode
{
    /// <summary>asyncio-style gets: each <see cref="QueueProtocol.Get"/> adds credits, each delivered item uses one.</summary>
    Credits,

    /// <summary>A consumer actor: <see cref="QueueProtocol.RequestWork"/> sets how many undone items it may hold.</summary>
    Window,
}
