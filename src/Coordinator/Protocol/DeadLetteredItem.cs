namespace ActorPipeline.Coordinator.Protocol;

/// <summary>An item whose work handler kept failing: finished for join, but kept and reported with its last error.</summary>
internal sealed record DeadLetteredItem(long ItemId, long DeliveryId, QueueItem Item, int Attempts, string Error);
