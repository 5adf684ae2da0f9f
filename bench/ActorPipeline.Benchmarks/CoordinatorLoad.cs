using System.Diagnostics;
using ActorPipeline.Coordinator;
using Akka.Actor;
using Akka.Hosting;
using Akka.Persistence.Hosting;
using Akka.Persistence.Sql.Hosting;
using LinqToDB;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static ActorPipeline.Coordinator.QueueProtocol;

namespace ActorPipeline.Benchmarks;

/// <summary>
/// The coordinator in one process with the full asyncio accounting: producers put, consumers get and
/// mark done, the run waits for every producer and then for the coordinator's join. Every event is
/// persisted and every durable reply waits for it, in the in-memory journal or (durable) in a SQLite
/// file as the embedded service keeps it; or, ephemeral, nothing is journaled, as asyncio.Queue and
/// Channel&lt;T&gt; keep nothing.
/// </summary>
public static class CoordinatorLoad
{
    public static async Task<LoadResult> RunAsync(LoadSettings settings, CoordinatorJournal journal)
    {
        var durable = journal == CoordinatorJournal.Sqlite;
        var file = Path.Combine(Path.GetTempPath(), $"actor-pipeline-bench-{Guid.NewGuid():N}.db");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Services.AddAkka("bench", akka =>
        {
            // Events and snapshots in the queue's binary format, as the Host binds it.
            akka.ConfigureLoggers(loggers => loggers.LogLevel = Akka.Event.LogLevel.WarningLevel).WithQueueSerializer();
            if (durable)
            {
                if (Environment.GetEnvironmentVariable("BENCH_WAL") == "1")
                {
                    using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file}");
                    connection.Open();
                    using var pragma = connection.CreateCommand();
                    pragma.CommandText = "PRAGMA journal_mode=WAL;";
                    pragma.ExecuteNonQuery();
                }

                akka.WithSqlPersistence(connectionString: $"Data Source={file}", providerName: ProviderName.SQLiteMS, autoInitialize: true);
                if (Environment.GetEnvironmentVariable("BENCH_HOCON") is { Length: > 0 } hocon)
                {
                    akka.AddHocon(hocon, HoconAddMode.Prepend);
                }
            }
            else
            {
                akka.WithInMemoryJournal().WithInMemorySnapshotStore();
            }
        });
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var system = host.Services.GetRequiredService<ActorSystem>();

            // A shorter round first, on actors of its own, so that the measured one runs on warm (tiered, PGO) code.
            await RunAsync(system, settings.Warmup(), journal, "warmup");
            return await RunAsync(system, settings, journal, "measured");
        }
        finally
        {
            await host.StopAsync();
            foreach (var path in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(file) + "*"))
            {
                File.Delete(path);
            }
        }
    }

    private static async Task<LoadResult> RunAsync(ActorSystem system, LoadSettings settings, CoordinatorJournal journal, string round)
    {
        var options = new QueueOptions
        {
            Capacity = settings.Capacity, MaxDeliveryBatch = settings.Batch, ProgressInterval = TimeSpan.Zero, Ephemeral = journal == CoordinatorJournal.None,
        };
        var coordinator = system.ActorOf(CoordinatorActor.Props(options, 0, NullLogger<CoordinatorActor>.Instance), $"{round}-coordinator");
        var latencies = new LatencySamples(settings.Items);
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gather = system.ActorOf(Props.Create(() => new CountDown(settings.Producers, finished)), $"{round}-gather");

        // The journal is created and recovered before the clock starts.
        await coordinator.Ask<QueueStatus>(GetStatus.Instance, TimeSpan.FromMinutes(1));
        var started = Stopwatch.GetTimestamp();
        var actors = new List<IActorRef> { gather };
        for (var c = 0; c < settings.Consumers; c++)
        {
            actors.Add(system.ActorOf(BenchConsumer.Props(coordinator, settings.Window, latencies), $"{round}-consumer-{c}"));
        }

        for (var p = 0; p < settings.Producers; p++)
        {
            actors.Add(system.ActorOf(BenchProducer.Props(p, coordinator, settings, gather, round), $"{round}-producer-{p}"));
        }

        await finished.Task;
        await coordinator.Ask<Joined>(Join.Instance, TimeSpan.FromMinutes(10));
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (latencies.Count < settings.Items)
        {
            throw new InvalidOperationException($"The join answered with {latencies.Count} of {settings.Items} items got: the run measured nothing.");
        }

        var (p50, p99) = latencies.Percentiles();

        // Gone before the next round's coordinator, which has the same persistence id, starts.
        actors.ForEach(system.Stop);
        await coordinator.GracefulStop(TimeSpan.FromSeconds(30));
        return new LoadResult(
            $"ActorPipeline in-process, {JournalName(journal)} (batch {settings.Batch}, window {settings.Window})", settings.Items, elapsed.TotalSeconds, p50, p99,
            Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0);
    }

    private static string JournalName(CoordinatorJournal journal) => journal switch
    {
        CoordinatorJournal.None => "ephemeral",
        CoordinatorJournal.Memory => "in-memory journal",
        _ => "SQLite journal",
    };
}
