namespace ActorPipeline.Coordinator.Protocol;

/// <summary>An item whose work handler kept failing: finished for join, but kept and reported with its last error.</summary>
/// <param name="ItemId">The item's id.</param>
/// <param name="DeliveryId">The delivery whose handler gave up.</param>
/// <param name="Item">The item.</param>
/// <param name="Attempts">How often its handler tried.</param>
/// <param name="Error">The last error.</param>
/// <param name="Job">The job it was accepted into.</param>
internal sealed record DeadLetteredItem(long ItemId, long DeliveryId, QueueItem Item, int Attempts, string Error, string Job = JobIds.Run);
