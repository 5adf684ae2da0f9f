// The coordinator's namespaces, one per concern (docs/architecture.md).
global using ActorPipeline.Coordinator.Protocol;
global using ActorPipeline.Coordinator.State;
global using ActorPipeline.Coordinator.Persistence;
global using ActorPipeline.Coordinator.Serialization;
global using ActorPipeline.Coordinator.Actor;
global using ActorPipeline.Coordinator.Hosting;
global using ActorPipeline.Coordinator.Observability;
// The hosting library's namespaces, one per concern.
global using ActorPipeline.Hosting.Clustering;
global using ActorPipeline.Hosting.Security;
global using ActorPipeline.Hosting.Operations;
global using ActorPipeline.Hosting.Persistence;
global using ActorPipeline.Hosting.Logging;
global using ActorPipeline.Hosting.Commands;
global using ActorPipeline.Hosting.Running;
global using ActorPipeline.Hosting.Configuration;
global using ActorPipeline.Hosting.Dashboard;
global using ActorPipeline.Hosting.Pipeline;
