namespace ActorPipeline.Coordinator;

/// <summary>A delivered item and the consumer holding it.</summary>
internal readonly record struct InFlightItem(QueueItem Item, ConsumerState Consumer);
