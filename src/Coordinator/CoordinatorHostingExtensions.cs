using Akka.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorPipeline.Coordinator;

public static class CoordinatorHostingExtensions
{
    /// <summary>Starts the coordinator as <c>/user/coordinator</c> and registers it as <see cref="IRequiredActor{CoordinatorActor}"/>.</summary>
    public static AkkaConfigurationBuilder AddCoordinator(this AkkaConfigurationBuilder builder, QueueOptions options, ILoggerFactory loggers) =>
        builder.WithActors((system, registry) =>
            registry.Register<CoordinatorActor>(
                system.ActorOf(CoordinatorActor.Props(options, loggers.CreateLogger<CoordinatorActor>()), "coordinator")));
}
