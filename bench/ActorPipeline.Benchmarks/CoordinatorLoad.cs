using System.Diagnostics;
using ActorPipeline.Consumers;
using ActorPipeline.Coordinator;
using ActorPipeline.Producers;
using Akka.Actor;
using static ActorPipeline.Consumers.ConsumerProtocol;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;
using static ActorPipeline.Producers.ProducerProtocol;

namespace ActorPipeline.Benchmarks;

/// <summary>
/// The shipped actors in one process, started by the service's own hosting extensions (AddCoordinator,
/// AddProducers, AddConsumers) as the Host starts them: the real producer actors put the run's items
/// (5 bytes each, no sleeps) in batches of <see cref="LoadSettings.Batch"/>, the real consumer actors
/// take windows of <see cref="LoadSettings.Window"/> and acknowledge together, the coordinator keeps the
/// full asyncio accounting, and the run ends when the producers are gathered and the join answers.
/// Every event is persisted and every durable reply waits for it, in the in-memory journal or (durable)
/// in a SQLite file as the embedded service keeps it; or, ephemeral, nothing is journaled, as
/// asyncio.Queue and Channel&lt;T&gt; keep nothing. What the Host adds on top (start-up, cluster of one,
/// logging, drain) is in the <c>shipped</c> scenario, which runs the Host binary itself.
/// </summary>
public static class CoordinatorLoad
{
    public static async Task<LoadResult> RunAsync(LoadSettings settings, CoordinatorJournal journal)
    {
        // A round first, in an actor system of its own, so that the measured one runs on warm (tiered, PGO) code.
        await RunRoundAsync(settings.Warmup(), journal);
        return await RunRoundAsync(settings, journal);
    }

    private static Task<LoadResult> RunRoundAsync(LoadSettings settings, CoordinatorJournal journal)
    {
        var latencies = new LatencySamples(settings);
        return BenchHost.RunAsync(
            journal == CoordinatorJournal.Sqlite,
            akka => akka.AddShippedActors(settings, journal == CoordinatorJournal.None, new BenchItemSource(settings), new LatencyHandler(latencies), "bench"),
            async (_, registry) =>
            {
                var coordinator = registry.Get<CoordinatorKey>();
                var producerPool = registry.Get<ProducersKey>();
                var consumerPool = registry.Get<ConsumersKey>();

                // The journal is created and recovered before the clock starts.
                await coordinator.Ask<QueueStatus>(GetStatus.Instance, TimeSpan.FromMinutes(1));
                var started = Stopwatch.GetTimestamp();
                consumerPool.Tell(StartConsuming.Instance);
                producerPool.Tell(StartProducing.Instance);
                var gathered = await producerPool.Ask<ProducersFinished>(WhenProducersFinished.Instance, TimeSpan.FromMinutes(30));
                await coordinator.Ask<Joined>(Join.Instance, TimeSpan.FromMinutes(30));
                var elapsed = Stopwatch.GetElapsedTime(started);
                await consumerPool.Ask<ConsumersCancelled>(CancelConsumers.Instance, TimeSpan.FromMinutes(1));
                if (gathered.Added != settings.Items || latencies.Count < settings.Items)
                {
                    throw new InvalidOperationException($"{gathered.Added} items added and {latencies.Count} got of {settings.Items}: the run measured nothing.");
                }

                var (p50, p99) = latencies.Percentiles();
                return new LoadResult(
                    $"shipped actors in-process, {JournalName(journal)} (batch {settings.Batch}, prefetch {settings.Window})", settings.Items, elapsed.TotalSeconds, p50, p99,
                    Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0);
            });
    }

    private static string JournalName(CoordinatorJournal journal) => journal switch
    {
        CoordinatorJournal.None => "ephemeral",
        CoordinatorJournal.Memory => "in-memory journal",
        _ => "SQLite journal",
    };
}
