using ActorPipeline.Coordinator;
using ActorPipeline.Tests.CoordinatorRules;
using Akka.Actor;
using Akka.Hosting;
using Akka.Persistence;
using Akka.Persistence.Hosting;
using Microsoft.Extensions.Logging;
using static ActorPipeline.Coordinator.Persistence.QueueEvents;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Tests.CoordinatorShell;

/// <summary>What only the actor shell does: snapshots and the journal's clean-up.</summary>
public sealed class CoordinatorShellSpecs(ITestOutputHelper output) : Akka.Hosting.TestKit.TestKit(output: output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider) =>
        builder.WithQueueSerializer().WithInMemoryJournal().WithInMemorySnapshotStore();

    [Fact]
    public async Task Should_log_a_failed_clean_up_of_old_events_or_snapshots_as_such_and_go_on()
    {
        var log = new ListLogger();
        var queue = Sys.ActorOf(CoordinatorActor.Props(new QueueOptions { ExpectedProducers = 0 }, log));

        queue.Tell(new DeleteMessagesFailure(new InvalidOperationException("disk full"), 42));
        queue.Tell(new DeleteSnapshotsFailure(new SnapshotSelectionCriteria(41), new InvalidOperationException("disk full")));
        await CreateTestProbe().ExpectNothingMoreFromAsync(queue); // both handled by now

        var warnings = log.Events.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message).ToList();
        Assert.Contains(warnings, m => m.StartsWith("Deleting old events up to 42 failed", StringComparison.Ordinal));
        Assert.Contains(warnings, m => m.StartsWith("Deleting old snapshots up to 41 failed", StringComparison.Ordinal));
        Assert.DoesNotContain(warnings, m => m.Contains("unexpected", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_take_a_snapshot_while_a_put_waits_for_room()
    {
        var log = new ListLogger();
        var queue = Sys.ActorOf(CoordinatorActor.Props(new QueueOptions { Capacity = 2, SnapshotEvery = 3, ExpectedProducers = 0 }, log));
        var producer = CreateTestProbe();
        var consumer = CreateTestProbe();

        // Two of five items are in; the put waits. A get frees a place, a third goes in: the third event.
        queue.Tell(new Put("p", 1, [.. Enumerable.Range(1, 5).Select(i => new QueueItem(new[] { (byte)i }, DateTime.UtcNow))]), producer.Ref);
        queue.Tell(new Get(1), consumer.Ref);
        await consumer.ExpectMsgAsync<Delivery>(cancellationToken: Ct);

        var store = Persistence.Instance.Apply(Sys).SnapshotStoreFor(null);
        var reader = CreateTestProbe();
        await AwaitAssertAsync(
            async () =>
            {
                store.Tell(new LoadSnapshot(CoordinatorActor.QueuePersistenceId, SnapshotSelectionCriteria.Latest, long.MaxValue), reader.Ref);
                var loaded = await reader.ExpectMsgAsync<LoadSnapshotResult>(cancellationToken: Ct);
                Assert.True(loaded.Snapshot is not null, string.Join("; ", log.Events));
                var snapshot = Assert.IsType<CoordinatorSnapshot>(loaded.Snapshot.Snapshot);
                var saved = Assert.Single(snapshot.Producers);
                Assert.Equal((1L, 3), (saved.PartialSequenceNr, saved.PartialAdmitted)); // before, no snapshot while a put was in part
            },
            cancellationToken: Ct);
        await producer.ExpectNothingMoreFromAsync(queue); // still waiting for room
    }
}
