namespace ActorPipeline.Coordinator.Protocol;

/// <summary>
/// An item handed to a consumer; <paramref name="DeliveryId"/> is what its task_done names. A struct,
/// so that a delivery of many items is one array, not an object per item on the hot path.
/// </summary>
/// <param name="DeliveryId">This delivery's id: a task_done names it.</param>
/// <param name="Item">The item.</param>
/// <param name="ItemId">
/// The item's id in the queue, the same in every delivery of it, before and after a restart (it is
/// journaled with the item): a handler's idempotency key.
/// </param>
/// <param name="DeliveryCount">How often the item has been handed to a consumer, this delivery included.</param>
internal readonly record struct DeliveredItem(long DeliveryId, QueueItem Item, long ItemId = 0, int DeliveryCount = 1);
