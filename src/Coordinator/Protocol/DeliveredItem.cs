namespace ActorPipeline.Coordinator.Protocol;

/// <summary>
/// An item handed to a consumer; <paramref name="DeliveryId"/> is what its task_done names. A struct,
/// so that a delivery of many items is one array, not an object per item on the hot path.
/// </summary>
public readonly record struct DeliveredItem(long DeliveryId, QueueItem Item);
