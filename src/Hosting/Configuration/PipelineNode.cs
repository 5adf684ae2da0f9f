using ActorPipeline.Hosting.Dashboard;
using ActorPipeline.Hosting.Http;
using ActorPipeline.Hosting.Jobs;
using ActorPipeline.Hosting.Pipeline;
using Akka.Hosting;
using Akka.Logger.Serilog;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using System.Diagnostics.Metrics;

namespace ActorPipeline.Hosting.Configuration;

/// <summary>The composition of one node: what <see cref="ActorPipelineServiceCollectionExtensions.AddActorPipeline"/> adds once the parts fit.</summary>
internal static class PipelineNode
{
    /// <summary>Options, the actor system with coordinator, producers and consumers, and the runner.</summary>
    public static void AddPipelineNode(this IServiceCollection services, IConfiguration configuration, PipelineParts parts)
    {

        // First of the hosted services, so the host stops it last: the seed's closing line is the process's last event.
        services.AddSingleton<RunResult>();
        services.AddSingleton<CoordinatorFailure>();
        services.AddSingleton<ClusterExit>();
        services.AddHostedService<CompletionReporter>();
        services.TryAddSingleton<DepartingPeers>();
        services.AddValidatedSection<PipelineOptions>(PipelineOptions.SectionName);
        services.AddValidatedSection<NodeOptions>(NodeOptions.SectionName);
        services.AddOptions<PipelineOptions>().PostConfigure<IOptions<NodeOptions>>((pipeline, node) =>
        {
            pipeline.Queue.DefaultJoinWindow(joinsSeeds: node.Value.SeedNodeList.Any());
            pipeline.SizePutsToFrame();
            pipeline.SizeLeasesToAckTimeout();
        });
        services.AddValidatedSection<OperationsOptions>(OperationsOptions.SectionName);
        services.AddOperations(configuration);

        // The host's own deadline must outlast the drain, or it would cut the drain short.
        // Read unvalidated: the host resolves these while it is built, before RunActorPipelineAsync reports an invalid
        // setting in one line; an unreadable timeout is reported there and its default stands in meanwhile.
        services.AddOptions<HostOptions>().Configure(host =>
        {
            var drain = new DrainOptions().Timeout;
            try
            {
                drain = configuration.GetValue($"{PipelineOptions.SectionName}:Drain:{nameof(DrainOptions.Timeout)}", drain);
            }
            catch (InvalidOperationException)
            {
            }

            host.ShutdownTimeout = drain + TimeSpan.FromSeconds(15);
        });

        // The user's parts as the actors see them: encoded, decoded, in a scope per item. A spec may register its own first.
        services.TryAddSingleton(sp => parts.CreateSource(sp));
        services.TryAddSingleton(sp => parts.CreateHandler(sp));
        services.AddSingleton<JournalPreflight>();
        services.AddSingleton(sp => NodeIdentity.Resolve(
            sp.GetRequiredService<IOptions<NodeOptions>>().Value, sp.GetRequiredService<IOptions<PipelineOptions>>().Value));
        services.AddMetrics();
        services.AddSingleton(sp => new PipelineMetrics(sp.GetRequiredService<IMeterFactory>()));

        // The jobs client: every node reaches the coordinator through its singleton proxy.
        services.AddSingleton(sp => new PipelineJobs(
            cancellationToken => sp.GetRequiredService<IRequiredActor<CoordinatorKey>>().GetAsync(cancellationToken),
            parts,
            JobClientSettings.From(sp.GetRequiredService<IOptions<PipelineOptions>>().Value, sp.GetRequiredService<NodeIdentity>().Name),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IPipelineJobs>(sp => sp.GetRequiredService<PipelineJobs>());

        var akkaLevel = ActorPipelineLoggingExtensions.AkkaLevelFor(configuration);
        services.AddAkka(NodeOptions.SystemName, (akka, sp) =>
        {
            var options = sp.GetRequiredService<IOptions<PipelineOptions>>().Value;
            var node = sp.GetRequiredService<IOptions<NodeOptions>>().Value;
            var loggers = sp.GetRequiredService<ILoggerFactory>();
            var metrics = sp.GetRequiredService<PipelineMetrics>();
            var identity = sp.GetRequiredService<NodeIdentity>();
            var departing = sp.GetRequiredService<DepartingPeers>();
            var coordinatorFailure = sp.GetRequiredService<CoordinatorFailure>();
            var clusterExit = sp.GetRequiredService<ClusterExit>();
            akka.ConfigureLoggers(setup =>
                {
                    setup.LogLevel = akkaLevel;
                    setup.ClearLoggers();
                    if (sp.GetService<AkkaLogsToSerilog>() is not null)
                    {
                        setup.AddSerilogLogging();
                    }
                    else
                    {
                        setup.AddLoggerFactory();
                    }
                })
                // Without this Akka runs its shutdown on SIGTERM before the host stops the runner, and the drain finds no actors.
                .AddHocon("akka.coordinated-shutdown.run-by-clr-shutdown-hook = off", HoconAddMode.Prepend)
                // Once the actor system has stopped its Serilog logger on the way out, Akka writes what is still
                // logged (a peer's link closing as this node leaves) straight to stdout in its own plain format,
                // a line no JSON log reader can parse (CI's compose run saw one); everything else goes through Serilog.
                .AddHocon("akka.stdout-loglevel = OFF", HoconAddMode.Prepend)
                // The coordinator's supervisor paces the retries while the journal fails; the journal's own circuit
                // breaker, open for 30 s by default, would fail its attempts fast long after the store is back.
                .AddHocon(
                    $"akka.persistence.journal-plugin-fallback.circuit-breaker.reset-timeout = {(long)options.Queue.JournalRetryBackoff.TotalMilliseconds}ms\n" +
                    $"akka.persistence.snapshot-store-plugin-fallback.circuit-breaker.reset-timeout = {(long)options.Queue.JournalRetryBackoff.TotalMilliseconds}ms",
                    HoconAddMode.Prepend)
                .AddCluster(node, identity, options, departing)
                // Only the coordinator journals: a node without the role never opens (or creates) the journal.
                .AddQueueStore(options.Persistence, options.Queue.Ephemeral || !node.Has(ClusterRoles.Coordinator))
                .WithActors((system, _) => clusterExit.Listen(system))
                .AddCoordinatorSingleton(options.Queue, loggers, node.Has(ClusterRoles.Coordinator), coordinatorFailure, metrics, parts.Formatter);
            if (node.Has(ClusterRoles.Producer))
            {
                // In a service the node's producers put into a job of their own, which the runner opens before it starts them.
                var job = options.Mode == PipelineMode.Service ? ServiceJobs.ForNodeProducers(identity.Name) : JobIds.Run;
                akka.AddProducers(options.Producers, sp.GetRequiredService<IPayloadSource>(), identity.Name, loggers, metrics, job);
            }

            if (node.Has(ClusterRoles.Consumer))
            {
                akka.AddConsumers(options.Consumers, sp.GetRequiredService<IPayloadHandler>(), loggers, metrics);
            }
        });

        // After AddAkka and before the runner: stopped after the drain and before the actor system. The server first,
        // so it stops after the page's sampling, which ends every open page's stream.
        services.AddSingleton<DashboardFeed>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RunSampler>();
        services.AddSingleton<IEndpointGroup, DashboardEndpoints>();
        services.AddSingleton<IEndpointGroup, JobsEndpoints>();
        services.AddHostedService<NodeHttpService>();
        services.AddHostedService<DashboardService>();

        services.AddHostedService<JournalDiskWatch>();

        // Registered after AddAkka, so it is stopped before the actor system on shutdown.
        services.AddHostedService<PipelineRunner>();
    }

}
