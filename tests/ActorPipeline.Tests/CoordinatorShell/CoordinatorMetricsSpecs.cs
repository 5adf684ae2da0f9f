using ActorPipeline.Coordinator;
using Akka.Hosting;
using Akka.Persistence.Hosting;
using Akka.TestKit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Tests.CoordinatorShell;

/// <summary>
/// The coordinator's counters, as a dashboard reading the <c>ActorPipeline</c> meter sees them, against a
/// script whose every event is known: each counter moves by exactly what happened, so one whose increment
/// goes missing, or happens twice, shows here.
/// </summary>
public sealed class CoordinatorMetricsSpecs(ITestOutputHelper output) : Akka.Hosting.TestKit.TestKit(output: output)
{
    private readonly PipelineMetrics _metrics = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider) =>
        builder.WithInMemoryJournal().WithInMemorySnapshotStore().AddCoordinator(
            new QueueOptions { ExpectedProducers = 0, ProgressInterval = TimeSpan.Zero },
            provider.GetRequiredService<ILoggerFactory>(),
            _metrics);

    [Fact]
    public async Task Should_count_two_dead_letters_three_redeliveries_and_one_duplicate_ack_exactly()
    {
        using var counters = new CounterTotals(_metrics);
        var queue = ActorRegistry.Get<CoordinatorKey>();
        var producer = CreateTestProbe();
        var consumer = CreateTestProbe();

        queue.Tell(new Put("p", 1, [.. Enumerable.Range(1, 6).Select(i => new QueueItem(new[] { (byte)i }, DateTime.UtcNow))]), producer.Ref);
        await producer.ExpectMsgAsync<PutAccepted>(cancellationToken: Ct);
        var delivered = await TakeAsync(queue, consumer, 6);

        // Two poison items give up: dead-lettered. Three go back to the queue and out again: redelivered.
        queue.Tell(new TaskFailed(delivered[0].DeliveryId, 3, "poison"), consumer.Ref);
        queue.Tell(new TaskFailed(delivered[1].DeliveryId, 3, "poison"), consumer.Ref);
        queue.Tell(new Release([delivered[2].DeliveryId, delivered[3].DeliveryId, delivered[4].DeliveryId]), consumer.Ref);
        var redelivered = await TakeAsync(queue, consumer, 3);

        // Four completed, then one task_done again for an item already completed: a duplicate ack.
        queue.Tell(new TaskDone([delivered[5].DeliveryId, .. redelivered.Select(d => d.DeliveryId)]), consumer.Ref);
        queue.Tell(new TaskDone([delivered[5].DeliveryId]), consumer.Ref);

        // An operator discards one of the dead letters.
        queue.Tell(new DiscardDeadLetters([delivered[0].ItemId]), consumer.Ref);
        await consumer.ExpectMsgAsync<DeadLettersDiscardedAck>(cancellationToken: Ct);
        queue.Tell(GetStatus.Instance, consumer.Ref); // answered after everything above
        var status = await consumer.ExpectMsgAsync<QueueStatus>(cancellationToken: Ct);

        Assert.Equal((6L, 4L, 1L, 1L, 0), (status.Accepted, status.Completed, status.DeadLettered, status.Discarded, status.Unfinished)); // the script went as told
        Assert.Equal(6, counters["actorpipeline.items.accepted"]);
        Assert.Equal(9, counters["actorpipeline.items.delivered"]); // six, and the three again
        Assert.Equal(2, counters["actorpipeline.items.dead_lettered"]); // a counter: a later discard does not take it back
        Assert.Equal(3, counters["actorpipeline.items.redelivered"]);
        Assert.Equal(4, counters["actorpipeline.items.completed"]);
        Assert.Equal(1, counters["actorpipeline.acks.duplicate"]);
        Assert.Equal(1, counters["actorpipeline.items.discarded"]);
        Assert.Equal(0, counters["actorpipeline.items.produced"]); // the producers' own, and no producer actor ran here
    }

    /// <summary>Asks for <paramref name="count"/> items and gathers their deliveries, however the coordinator batches them.</summary>
    private static async Task<List<DeliveredItem>> TakeAsync(Akka.Actor.IActorRef queue, TestProbe consumer, int count)
    {
        queue.Tell(new Get(count), consumer.Ref);
        var items = new List<DeliveredItem>();
        while (items.Count < count)
        {
            items.AddRange((await consumer.ExpectMsgAsync<Delivery>(cancellationToken: Ct)).Items);
        }

        return items;
    }
}
