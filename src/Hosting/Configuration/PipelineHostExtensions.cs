using System.Diagnostics.Metrics;
using System.Globalization;
using ActorPipeline.Consumers;
using ActorPipeline.Coordinator;
using ActorPipeline.Producers;
using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Akka.Logger.Serilog;
using Akka.Persistence.Hosting;
using Akka.Persistence.Sql.Hosting;
using LinqToDB;
using Microsoft.Data.Sqlite;
using Npgsql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Serilog;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;
using AkkaLogLevel = Akka.Event.LogLevel;

namespace ActorPipeline.Hosting.Configuration;

/// <summary>The composition root, shared by Program and the tests that host the whole pipeline.</summary>
public static class PipelineHostExtensions
{
    // Nodes started together (docker compose up) join within seconds of each other; one starting later than this is a later run's.
    private static readonly TimeSpan DefaultJoinWindow = TimeSpan.FromSeconds(10);

    private const string TextTemplate = "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {Message:lj}{NewLine}{Exception}";

    /// <summary>
    /// Serilog for everything: our events, Microsoft.Extensions.Logging and (through
    /// <see cref="AddActorPipeline"/>) Akka's own. Readable text by default, compact JSON (CLEF)
    /// with <c>Serilog:CompactJson=true</c>; levels and extra sinks from the <c>Serilog</c> section.
    /// </summary>
    public static IHostApplicationBuilder AddActorPipelineLogging(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        builder.Services.TryAddSingleton<DepartingPeers>();
        builder.Services.AddSerilog((services, logger) =>
        {
            var departing = services.GetRequiredService<DepartingPeers>();
            logger.ReadFrom.Configuration(configuration)
                // Akka.Remote reports a departed node's link closing as a failure; only that, for those peers (see DepartingPeers).
                .Filter.ByExcluding(departing.IsLeftPeerDisconnect)
                .ReadFrom.Services(services)
                .Enrich.FromLogContext()
                .Enrich.WithProperty("Node", Environment.MachineName)
                .Enrich.WithProperty("Roles", configuration[$"{NodeOptions.SectionName}:{nameof(NodeOptions.Roles)}"] ?? new NodeOptions().Roles);
            var json = configuration.GetValue<bool>("Serilog:CompactJson");
            ITextFormatter formatter = json ? new CompactJsonFormatter() : new MessageTemplateTextFormatter(TextTemplate, CultureInfo.InvariantCulture);
            if (Console.IsOutputRedirected)
            {
                // To a file or a pipe: formatted off the actors' threads and written in large blocks, so that the
                // seed's per-item lines keep up; a full queue makes loggers wait rather than drop a line.
                logger.WriteTo.Sink(new BufferedOutputSink(Console.OpenStandardOutput(), formatter));
            }
            else
            {
                // A terminal: every line at once, in colour.
                if (json)
                {
                    logger.WriteTo.Console(formatter);
                }
                else
                {
                    logger.WriteTo.Console(outputTemplate: TextTemplate, formatProvider: CultureInfo.InvariantCulture);
                }
            }
        });
        return builder;
    }

    /// <summary>Options, the actor system with coordinator, producers and consumers, and the runner.</summary>
    public static IHostApplicationBuilder AddActorPipeline(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;

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
            pipeline.Queue.ProducerJoinWindow ??= node.Value.SeedNodeList.Any() ? DefaultJoinWindow : TimeSpan.Zero;
            pipeline.SizePutsToFrame();
            pipeline.SizeLeasesToAckTimeout();
        });
        services.AddValidatedSection<OperationsOptions>(OperationsOptions.SectionName);
        builder.AddOperations();

        // The host's own deadline must outlast the drain, or it would cut the drain short.
        services.AddOptions<HostOptions>().Configure<IOptions<PipelineOptions>>((host, pipeline) =>
            host.ShutdownTimeout = pipeline.Value.Drain.Timeout + TimeSpan.FromSeconds(15));

        services.TryAddSingleton<IItemSource>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<PipelineOptions>>().Value;
            return new RandomItemSource(options.Producers, options.Seed, sp.GetRequiredService<ILogger<RandomItemSource>>());
        });
        services.TryAddSingleton<IWorkHandler>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<PipelineOptions>>().Value;
            return new SimulatedWorkHandler(options.Consumers, options.Seed, sp.GetRequiredService<ILogger<SimulatedWorkHandler>>());
        });
        services.AddSingleton<JournalPreflight>();
        services.AddSingleton(sp => NodeIdentity.Resolve(
            sp.GetRequiredService<IOptions<NodeOptions>>().Value, sp.GetRequiredService<IOptions<PipelineOptions>>().Value));
        services.AddMetrics();
        services.AddSingleton(sp => new PipelineMetrics(sp.GetRequiredService<IMeterFactory>()));

        var akkaLevel = AkkaLevelFor(builder.Configuration);
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
                    setup.AddSerilogLogging();
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
                .AddQueueStore(options.Persistence, options.Queue.Ephemeral || !node.Has(CoordinatorHostingExtensions.Role))
                .WithActors((system, _) => coordinatorFailure.Listen(system)) // before the coordinator
                .WithActors((system, _) => clusterExit.Listen(system))
                .AddCoordinatorSingleton(
                    options.Queue, loggers, options.Queue.ExpectedProducers ?? 1, node.Has(CoordinatorHostingExtensions.Role), metrics);
            if (node.Has(ClusterRoles.Producer))
            {
                akka.AddProducers(options.Producers, sp.GetRequiredService<IItemSource>(), identity.Name, loggers, metrics);
            }

            if (node.Has(ClusterRoles.Consumer))
            {
                akka.AddConsumers(options.Consumers, sp.GetRequiredService<IWorkHandler>(), loggers, metrics);
            }
        });

        // After AddAkka and before the runner: stopped after the drain and before the actor system.
        services.AddSingleton<DashboardFeed>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RunSampler>();
        services.AddHostedService<DashboardService>();

        services.AddHostedService<JournalDiskWatch>();

        // Registered after AddAkka, so it is stopped before the actor system on shutdown.
        services.AddHostedService<PipelineRunner>();
        return builder;
    }

    /// <summary>Metrics (meter ActorPipeline, Prometheus when a port is set) and the health checks behind the health endpoint.</summary>
    private static void AddOperations(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck<ActorSystemHealthCheck>("actor-system", tags: [HealthEndpoint.LiveTag])
            .AddCheck<ClusterMemberHealthCheck>("cluster-member", tags: [HealthEndpoint.ReadyTag])
            .AddCheck<CoordinatorHealthCheck>("coordinator", tags: [HealthEndpoint.ReadyTag]);
        builder.Services.AddHostedService<HealthEndpoint>();

        var metricsPort = builder.Configuration.GetValue<int>($"{OperationsOptions.SectionName}:{nameof(OperationsOptions.MetricsPort)}");
        if (metricsPort > 0)
        {
            builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
                .AddMeter(PipelineMetrics.MeterName)
                .AddPrometheusHttpListener(exporter =>
                {
                    exporter.Port = metricsPort;

                    // Every interface, since it is scraped from other containers; the option itself takes one host name.
                    exporter.ConfigureHttpListener = (_, listener) =>
                    {
                        listener.Prefixes.Clear();
                        listener.Prefixes.Add($"http://*:{metricsPort}/metrics/");
                    };
                }));
        }
    }

    /// <summary>
    /// Remoting and clustering from <see cref="NodeOptions"/>, keep-majority split-brain resolution,
    /// and a node without seeds joins itself, so the embedded default is a cluster of one.
    /// </summary>
    private static AkkaConfigurationBuilder AddCluster(
        this AkkaConfigurationBuilder akka, NodeOptions node, NodeIdentity identity, PipelineOptions pipeline, DepartingPeers departing)
    {
        var queue = pipeline.Queue;
        var seeds = node.SeedNodeList.ToArray();
        var remote = new RemoteOptions
        {
            HostName = node.Hostname,
            Port = node.Port,
            PublicHostName = node.EffectivePublicHostname,

            // Every node derives the frame from the same item settings, so what one may send the others accept,
            // and a frame larger than any message this configuration makes is refused by the transport itself.
            MaxFrameSize = queue.LargestMessageBytes,
        };
        if (node.Tls.Enabled)
        {
            remote.EnableSsl = true;
            remote.Ssl = SslFor(node.Tls);
        }

        akka.WithRemoting(remote)
            .WithClustering(new ClusterOptions
            {
                // The name as a role: every member sees which names are taken, and the coordinator whose producers are whose.
                // The producer role only with producers to run: the coordinator waits for every producer member to register some.
                Roles = [.. node.RoleList.Where(r => r != ClusterRoles.Producer || pipeline.Producers.Count > 0), identity.Role],
                SeedNodes = seeds,
                MinimumNumberOfMembers = node.MinimumMembers,
                SplitBrainResolver = new KeepMajorityOption(),
            })
            .WithQueueSerializer()
            .AddHocon(
                string.Create(CultureInfo.InvariantCulture, $"akka.cluster.split-brain-resolver.stable-after = {node.DownUnreachableAfter.TotalMilliseconds}ms"),
                HoconAddMode.Prepend)
            .AddHocon(
                string.Create(CultureInfo.InvariantCulture, $"akka.cluster.failure-detector.acceptable-heartbeat-pause = {node.HeartbeatPause.TotalMilliseconds}ms"),
                HoconAddMode.Prepend)
            // The proxy's "failed to find an associated singleton ... after 30 seconds" fires at start-up and at
            // shutdown, healthy or not (its timer starts with no delay); RunMonitorActor warns when the coordinator is really silent.
            .AddHocon("akka.cluster.singleton-proxy.log-singleton-identification-failure = off", HoconAddMode.Prepend)
            // The proxy asks where the singleton is once a second until it finds it. It first asks a few ms before the
            // singleton has started, so every start waited most of a second with the producers' first messages buffered.
            .AddHocon("akka.cluster.singleton-proxy.singleton-identification-interval = 100ms", HoconAddMode.Prepend)
            // Leaving is paced by two 1 s ticks, the leader's (which moves a leaving member on) and the
            // singleton manager's hand-over retry (on which the last node stops the coordinator): every
            // run's exit waited about 2 s on them. Shorter ticks only repeat small, idempotent messages.
            .AddHocon("akka.cluster.leader-actions-interval = 200ms", HoconAddMode.Prepend)
            .AddHocon("akka.cluster.singleton.hand-over-retry-interval = 200ms", HoconAddMode.Prepend);
        akka.AddStartup((system, _) => system.ActorOf(DepartingPeersListener.Props(departing), "departing-peers"));
        if (seeds.Length == 0)
        {
            akka.AddStartup((system, _) =>
            {
                var cluster = Akka.Cluster.Cluster.Get(system);
                cluster.Join(cluster.SelfAddress);
            });
        }

        return akka;
    }

    /// <summary>
    /// Mutual TLS: this node's certificate on both ends of every link, and the peer's checked by
    /// <see cref="TrustedPeerValidator"/>. The certificate is handed over as an object, so neither the
    /// password nor the path ever enters Akka's configuration (which it may log).
    /// </summary>
    private static SslOptions SslFor(TlsOptions tls)
    {
        var (certificate, trusted) = tls.Load();
        return new SslOptions
        {
            X509Certificate = certificate,
            SuppressValidation = false,
            RequireMutualAuthentication = true,
            ValidateCertificateHostname = tls.ValidateHostname,
            CustomValidator = new TrustedPeerValidator(trusted, tls.ValidateHostname).Validate,
        };
    }

    /// <summary>The coordinator's journal and snapshot store, created on first use.</summary>
    /// <param name="akka">The actor system's configuration.</param>
    /// <param name="persistence">Which store.</param>
    /// <param name="journalsNothing">
    /// An ephemeral queue journals nothing and recovers nothing, and a node without the coordinator has no
    /// queue to journal, so either gets the in-memory store whatever the provider: no file is made or
    /// opened, and no database driver is loaded at start-up.
    /// </param>
    internal static AkkaConfigurationBuilder AddQueueStore(this AkkaConfigurationBuilder akka, PersistenceOptions persistence, bool journalsNothing = false)
    {
        var connection = persistence.EffectiveConnectionString;
        switch (journalsNothing ? PersistenceProvider.InMemory : persistence.Provider)
        {
            case PersistenceProvider.InMemory:
                return akka.WithInMemoryJournal().WithInMemorySnapshotStore();
            case PersistenceProvider.PostgreSql:
                return akka.WithSqlPersistence(connectionString: WithoutGssProbe(connection), providerName: ProviderName.PostgreSQL15, autoInitialize: true);
            default:
                // SQLite creates the file but not its folder.
                if (new SqliteConnectionStringBuilder(connection).DataSource is { Length: > 0 } file && Path.GetDirectoryName(Path.GetFullPath(file)) is { } folder)
                {
                    Directory.CreateDirectory(folder);
                }

                UseWriteAheadLog(connection);
                return akka.WithSqlPersistence(connectionString: connection, providerName: ProviderName.SQLiteMS, autoInitialize: true);
        }
    }

    /// <summary>
    /// Npgsql asks for GSS encryption first unless told otherwise, and on a host without the Kerberos
    /// library (slim container images) .NET prints "Cannot load library libgssapi_krb5.so.2" to stderr on
    /// every connection. The journal uses password or certificate authentication, so the probe is off
    /// unless the connection string asks for it.
    /// </summary>
    internal static string WithoutGssProbe(string connectionString)
    {
        // Npgsql's own builder answers ContainsKey for every keyword it knows; the plain one says what the string holds.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (given.ContainsKey("Gss Encryption Mode") || given.ContainsKey("GssEncryptionMode") || given.ContainsKey("GssEncMode"))
        {
            return connectionString;
        }

        return new NpgsqlConnectionStringBuilder(connectionString) { GssEncryptionMode = GssEncryptionMode.Disable }.ConnectionString;
    }

    /// <summary>
    /// SQLite's write-ahead log, which the file keeps once set: a commit appends to one file and syncs it
    /// once (synchronous stays FULL, so a stored event survives a power cut), where the default rollback
    /// journal syncs several files per commit; and readers do not block the writer.
    /// </summary>
    private static void UseWriteAheadLog(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA journal_mode=WAL;";
        pragma.ExecuteNonQuery();
    }

    internal static OptionsBuilder<TOptions> AddValidatedSection<TOptions>(this IServiceCollection services, string section)
        where TOptions : class
    {
        services.AddSingleton<IValidateOptions<TOptions>>(sp => new SectionValidator<TOptions>(sp.GetRequiredService<IConfiguration>(), section));
        return services.AddOptions<TOptions>()
            .Configure<IConfiguration>((options, configuration) =>
            {
                try
                {
                    configuration.GetSection(section).Bind(options);
                }
                catch (InvalidOperationException unparsable)
                {
                    // The binder's message names the key and the value; report it like any other invalid setting.
                    throw new OptionsValidationException(section, typeof(TOptions), [unparsable.Message]);
                }
            })
            .ValidateOnStart();
    }

    /// <summary>Akka filters before Serilog sees an event, so it gets the level Serilog would apply to "Akka" sources.</summary>
    private static AkkaLogLevel AkkaLevelFor(IConfiguration configuration)
    {
        var minimum = configuration["Serilog:MinimumLevel:Override:Akka"]
            ?? configuration["Serilog:MinimumLevel:Default"]
            ?? configuration["Serilog:MinimumLevel"];
        var level = Enum.TryParse<LogEventLevel>(minimum, ignoreCase: true, out var parsed) ? parsed : LogEventLevel.Information;
        return level switch
        {
            LogEventLevel.Verbose or LogEventLevel.Debug => AkkaLogLevel.DebugLevel,
            LogEventLevel.Information => AkkaLogLevel.InfoLevel,
            LogEventLevel.Warning => AkkaLogLevel.WarningLevel,
            _ => AkkaLogLevel.ErrorLevel,
        };
    }
}
