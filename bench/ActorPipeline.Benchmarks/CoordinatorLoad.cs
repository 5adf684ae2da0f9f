using System.Diagnostics;
using ActorPipeline.Coordinator;
using Akka.Actor;
using Akka.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using static ActorPipeline.Coordinator.QueueProtocol;

namespace ActorPipeline.Benchmarks;

/// <summary>
/// The coordinator in one process with the full asyncio accounting: producers put, consumers get and
/// mark done, the run waits for every producer and then for the coordinator's join. Its journal is the
/// in-memory one (every event is still persisted and every durable reply still waits for it).
/// </summary>
public static class CoordinatorLoad
{
    private static readonly Config Hocon = ConfigurationFactory.ParseString("""
        akka.loglevel = WARNING
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """);

    public static async Task<LoadResult> RunAsync(LoadSettings settings)
    {
        using var system = ActorSystem.Create("bench", Hocon);
        var options = new QueueOptions { Capacity = settings.Capacity, MaxDeliveryBatch = settings.Batch, ProgressInterval = TimeSpan.Zero };
        var coordinator = system.ActorOf(CoordinatorActor.Props(options, 0, NullLogger<CoordinatorActor>.Instance), "coordinator");
        var latencies = new LatencySamples(settings.Items);
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gather = system.ActorOf(Props.Create(() => new CountDown(settings.Producers, finished)), "gather");

        var started = Stopwatch.GetTimestamp();
        for (var c = 0; c < settings.Consumers; c++)
        {
            system.ActorOf(BenchConsumer.Props(coordinator, settings.Window, latencies), $"consumer-{c}");
        }

        for (var p = 0; p < settings.Producers; p++)
        {
            system.ActorOf(BenchProducer.Props(p, coordinator, settings, gather), $"producer-{p}");
        }

        await finished.Task;
        await coordinator.Ask<Joined>(Join.Instance, TimeSpan.FromMinutes(10));
        var elapsed = Stopwatch.GetElapsedTime(started);
        var (p50, p99) = latencies.Percentiles();
        await system.Terminate();
        return new LoadResult(
            $"ActorPipeline coordinator (batch {settings.Batch}, window {settings.Window})", settings.Items, elapsed.TotalSeconds, p50, p99,
            Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0);
    }
}
