using ActorPipeline.Coordinator;
using Akka.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorPipeline.Producers;

internal static class ProducerHostingExtensions
{
    /// <summary>
    /// Starts the node's producer pool as <c>/user/producers</c>; it puts to the registered coordinator.
    /// Its producers are <c>{nodeName}/producer-{index}</c>, so a node restarted under the same name resumes them.
    /// Their puts go into <paramref name="job"/>: the batch run's, or in a service the job the runner opens for this node.
    /// </summary>
    public static AkkaConfigurationBuilder AddProducers(
        this AkkaConfigurationBuilder builder, ProducerOptions options, IPayloadSource source, string nodeName, ILoggerFactory loggers, PipelineMetrics? metrics = null,
        string job = JobIds.Run) =>
        builder.WithActors((system, registry) =>
            registry.Register<ProducersKey>(
                system.ActorOf(ProducerPoolActor.Props(options, source, registry.Get<CoordinatorKey>(), nodeName, loggers, metrics, job), "producers")));
}
