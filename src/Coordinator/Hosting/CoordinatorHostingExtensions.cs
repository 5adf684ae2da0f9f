using Akka.Cluster.Hosting;
using Akka.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorPipeline.Coordinator.Hosting;

internal static class CoordinatorHostingExtensions
{
    /// <summary>Starts the coordinator as a plain local actor, <c>/user/coordinator</c> (actor specs, no cluster).</summary>
    public static AkkaConfigurationBuilder AddCoordinator(
        this AkkaConfigurationBuilder builder, QueueOptions options, ILoggerFactory loggers, PipelineMetrics? metrics = null) =>
        builder.WithActors((system, registry) =>
            registry.Register<CoordinatorKey>(
                system.ActorOf(CoordinatorActor.Props(options, loggers.CreateLogger<CoordinatorActor>(), metrics), "coordinator")));

    /// <summary>
    /// The coordinator as a cluster singleton on the <see cref="ClusterRoles.Coordinator"/> nodes: one instance in the
    /// cluster, moved to another coordinator node if its node leaves. Every node registers a proxy to
    /// it as <see cref="IRequiredActor{CoordinatorKey}"/>; the proxy buffers messages while the
    /// singleton moves (and drops the oldest beyond its buffer, which is why clients resend). The
    /// singleton is the coordinator's <see cref="CoordinatorSupervisor"/>, so a journal outage restarts
    /// the coordinator with back-off instead of leaving the cluster without one; on the node that hosts
    /// it, both report to <paramref name="failure"/> what the host must know of it.
    /// </summary>
    public static AkkaConfigurationBuilder AddCoordinatorSingleton(
        this AkkaConfigurationBuilder builder,
        QueueOptions options,
        ILoggerFactory loggers,
        bool hostHere,
        CoordinatorFailure failure,
        PipelineMetrics? metrics = null,
        ItemFormatter? formatter = null)
    {
        var singleton = new ClusterSingletonOptions { Role = ClusterRoles.Coordinator };
        return hostHere
            ? builder.WithSingleton<CoordinatorKey>(
                "coordinator",
                CoordinatorActor.SupervisedProps(options, loggers, failure, metrics, formatter: formatter),
                singleton,
                createProxyToo: true)
            : builder.WithSingletonProxy<CoordinatorKey>("coordinator", singleton);
    }
}
