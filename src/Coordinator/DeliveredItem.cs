namespace ActorPipeline.Coordinator;

/// <summary>An item handed to a consumer; <paramref name="DeliveryId"/> is what its task_done names.</summary>
public sealed record DeliveredItem(long DeliveryId, QueueItem Item);
