// The coordinator's namespaces, one per concern (docs/architecture.md).
global using ActorPipeline.Coordinator.Protocol;
global using ActorPipeline.Coordinator.State;
global using ActorPipeline.Coordinator.Persistence;
global using ActorPipeline.Coordinator.Serialization;
global using ActorPipeline.Coordinator.Actor;
global using ActorPipeline.Coordinator.Hosting;
global using ActorPipeline.Coordinator.Observability;
