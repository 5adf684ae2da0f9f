namespace ActorPipeline.Coordinator.Protocol;

/// <summary>Marks every message of the coordinator's protocol, so one serializer can be bound to all of them.</summary>
internal interface IQueueMessage;
