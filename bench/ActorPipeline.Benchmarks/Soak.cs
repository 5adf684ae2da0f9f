using System.Diagnostics;
using System.Globalization;
using ActorPipeline.Consumers;
using ActorPipeline.Coordinator;
using ActorPipeline.Producers;
using Akka.Actor;
using static ActorPipeline.Consumers.ConsumerProtocol;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;
using static ActorPipeline.Producers.ProducerProtocol;

namespace ActorPipeline.Benchmarks;

/// <summary>
/// The shipped actors in one process at full speed for a while (10 minutes unless <c>--minutes</c> says),
/// with the default SQLite journal unless ephemeral: every 30 s a line with the items done so far, the rate
/// since the last line, the managed heap and the process's working set. Memory that stays flat while
/// tens of millions of items pass is what a long run needs; one that climbs is a leak.
/// </summary>
public static class Soak
{
    public static Task RunAsync(LoadSettings settings, TimeSpan length, bool ephemeral, TextWriter output)
    {
        var endless = settings with { Items = long.MaxValue / 4, LatencyEvery = 0 };
        var latencies = new LatencySamples(endless);
        return BenchHost.RunAsync(
            sqlite: !ephemeral,
            akka => akka.AddShippedActors(settings, ephemeral, new BenchItemSource(endless), new LatencyHandler(latencies), "soak"),
            async (_, registry) =>
            {
                var coordinator = registry.Get<CoordinatorKey>();
                await coordinator.Ask<QueueStatus>(GetStatus.Instance, TimeSpan.FromMinutes(1));
                output.WriteLine($"soak: shipped actors in-process, {(ephemeral ? "ephemeral" : "SQLite journal")}, {length.TotalMinutes:F0} minutes, {settings}");
                output.WriteLine("| elapsed s | items done | items/s since last | managed heap MB | working set MB |");
                output.WriteLine("|---:|---:|---:|---:|---:|");
                registry.Get<ConsumersKey>().Tell(StartConsuming.Instance);
                registry.Get<ProducersKey>().Tell(StartProducing.Instance);
                var started = Stopwatch.GetTimestamp();
                var (lastDone, lastAt) = (0L, 0.0);
                using var tick = new PeriodicTimer(TimeSpan.FromSeconds(30));
                while (Stopwatch.GetElapsedTime(started) < length && await tick.WaitForNextTickAsync())
                {
                    var status = await coordinator.Ask<QueueStatus>(GetStatus.Instance, TimeSpan.FromMinutes(1));
                    var at = Stopwatch.GetElapsedTime(started).TotalSeconds;
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {at:F0} | {status.Completed:N0} | {(status.Completed - lastDone) / (at - lastAt):N0} | {GC.GetTotalMemory(false) / 1048576.0:F0} | {Process.GetCurrentProcess().WorkingSet64 / 1048576.0:F0} |"));
                    (lastDone, lastAt) = (status.Completed, at);
                }

                registry.Get<ProducersKey>().Tell(StopProducing.Instance);
                await registry.Get<ProducersKey>().Ask<ProducersFinished>(WhenProducersFinished.Instance, TimeSpan.FromMinutes(5));
                await coordinator.Ask<Joined>(Join.Instance, TimeSpan.FromMinutes(5));
                await registry.Get<ConsumersKey>().Ask<ConsumersCancelled>(CancelConsumers.Instance, TimeSpan.FromMinutes(1));
                var final = await coordinator.Ask<QueueStatus>(GetStatus.Instance, TimeSpan.FromMinutes(1));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"soak over: {final.Accepted:N0} accepted, {final.Completed:N0} completed, {final.Unfinished} unfinished, peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MB"));
                return 0;
            });
    }
}
