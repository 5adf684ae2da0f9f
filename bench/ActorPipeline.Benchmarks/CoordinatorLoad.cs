using System.Diagnostics;
using ActorPipeline.Coordinator;
using Akka.Actor;
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
    public static Task<LoadResult> RunAsync(LoadSettings settings, CoordinatorJournal journal) =>
        BenchHost.RunAsync(journal == CoordinatorJournal.Sqlite, async system =>
        {
            // A round first, on actors of its own, so that the measured one runs on warm (tiered, PGO) code.
            await RunAsync(system, settings.Warmup(), journal, "warmup");
            return await RunAsync(system, settings, journal, "measured");
        });

    private static async Task<LoadResult> RunAsync(ActorSystem system, LoadSettings settings, CoordinatorJournal journal, string round)
    {
        var options = new QueueOptions
        {
            Capacity = settings.Capacity, MaxDeliveryBatch = settings.Batch, ProgressInterval = TimeSpan.Zero, Ephemeral = journal == CoordinatorJournal.None,
        };
        var coordinator = system.ActorOf(CoordinatorActor.Props(options, 0, NullLogger<CoordinatorActor>.Instance), $"{round}-coordinator");
        var latencies = new LatencySamples(settings);
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
