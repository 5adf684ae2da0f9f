using ActorPipeline.Coordinator;

namespace ActorPipeline.Consumers;

/// <summary>What a work handler is given: the item, who holds it and which attempt this is.</summary>
public sealed record WorkContext(int ConsumerId, long DeliveryId, QueueItem Item, int Attempt);
