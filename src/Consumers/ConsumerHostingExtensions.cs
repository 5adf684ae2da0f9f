using ActorPipeline.Coordinator;
using Akka.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorPipeline.Consumers;

internal static class ConsumerHostingExtensions
{
    /// <summary>Starts the node's consumer pool as <c>/user/consumers</c>; it gets work from the registered coordinator.</summary>
    public static AkkaConfigurationBuilder AddConsumers(
        this AkkaConfigurationBuilder builder, ConsumerOptions options, IPayloadHandler handler, ILoggerFactory loggers, PipelineMetrics? metrics = null) =>
        builder.WithActors((system, registry) =>
            registry.Register<ConsumersKey>(
                system.ActorOf(ConsumerPoolActor.Props(options, handler, registry.Get<CoordinatorKey>(), loggers, metrics), "consumers")));
}
