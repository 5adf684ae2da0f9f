using System.Globalization;
using ActorPipeline.Coordinator;
using ActorPipeline.Producers;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;
using static ActorPipeline.Producers.ProducerProtocol;

namespace ActorPipeline.Benchmarks;

/// <summary>
/// What the coordinator holds per outstanding item: the managed heap after <c>items</c> seed-sized items
/// are accepted and nobody takes them, less the heap before, less what the items themselves take (the
/// same number of <see cref="QueueItem"/>s with their bytes, measured the same way). The journal is the
/// SQLite file, so that no in-memory journal's copy of every event is counted as the coordinator's.
/// </summary>
public static class OutstandingMemory
{
    public static async Task RunAsync(LoadSettings settings, TextWriter output)
    {
        var payload = PayloadBytesPerItem((int)Math.Min(settings.Items, 1_000_000));
        var options = new QueueOptions { Capacity = 0, SnapshotEvery = int.MaxValue / 2, ProgressInterval = TimeSpan.Zero };
        var producer = new ProducerOptions { Count = 1, BatchSize = settings.Batch };
        await BenchHost.RunAsync(
            sqlite: true,
            akka => akka.AddCoordinator(options, NullLoggerFactory.Instance)
                .AddProducers(producer, new BenchItemSource(settings with { Producers = 1 }), "bench", NullLoggerFactory.Instance),
            async (_, registry) =>
        {
            var coordinator = registry.Get<CoordinatorKey>();
            var producers = registry.Get<ProducersKey>();
            await coordinator.Ask<QueueStatus>(GetStatus.Instance, TimeSpan.FromMinutes(1));
            var before = Settle();

            // The shipped producer actor puts every item; nobody consumes.
            producers.Tell(StartProducing.Instance);
            await producers.Ask<ProducersFinished>(WhenProducersFinished.Instance, TimeSpan.FromMinutes(30));
            var status = await coordinator.Ask<QueueStatus>(GetStatus.Instance, TimeSpan.FromMinutes(1));
            var after = Settle();

            var perItem = (after - before) / (double)status.Size;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{status.Size:N0} items outstanding: heap grew {(after - before) / 1048576.0:F1} MB, {perItem:F0} bytes per item, of which the item itself " +
                $"(QueueItem and its 5-byte payload) {payload:F0} bytes: the coordinator's own cost is {perItem - payload:F0} bytes per outstanding item."));
            return 0;
        });
    }

    private static double PayloadBytesPerItem(int count)
    {
        var before = Settle();
        var items = new QueueItem[count];
        for (var i = 0; i < count; i++)
        {
            items[i] = new QueueItem(new byte[5], DateTime.UtcNow);
        }

        var after = Settle();
        GC.KeepAlive(items);
        return (after - before - ((long)count * IntPtr.Size)) / (double)count; // less the array that holds them
    }

    private static long Settle()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
