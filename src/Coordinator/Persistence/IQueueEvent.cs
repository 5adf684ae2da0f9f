namespace ActorPipeline.Coordinator.Persistence;

/// <summary>Marks what the coordinator writes to its journal and snapshots, so the protocol serializer stores them too.</summary>
internal interface IQueueEvent;
