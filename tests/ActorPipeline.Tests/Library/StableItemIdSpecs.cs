using ActorPipeline.Tests.CoordinatorShell;
using Akka.Persistence;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Tests.Library;

/// <summary>
/// An item keeps its id in every delivery (WorkContext.ItemId, the idempotency key a user's handler and sink
/// rely on) and its delivery count goes on counting: after a consumer lost it, after the coordinator restarted
/// from its journal or from a snapshot, and after an operator put it back from the dead letters.
/// </summary>
public sealed class StableItemIdSpecs(ITestOutputHelper output) : RestartableCoordinatorSpecBase(output)
{
    [Fact]
    public async Task Should_redeliver_an_item_handed_back_under_the_same_item_id_with_delivery_count_2()
    {
        StartCoordinator();
        var producer = CreateTestProbe();
        var first = CreateTestProbe();
        var second = CreateTestProbe();
        await PutAsync(producer, Put("p", 1, "01", "02"));
        var original = (await GetNowAsync(first, 2)).ToList();

        Queue.Tell(new Release([original[0].DeliveryId]), first.Ref); // its consumer is stopping, say
        var again = Assert.Single(await GetNowAsync(second, 5));

        Assert.Equal([1, 1], original.Select(d => d.DeliveryCount));
        Assert.NotEqual(original[0].ItemId, original[1].ItemId);
        Assert.Equal(("01", original[0].ItemId, 2), (again.Item.Hex, again.ItemId, again.DeliveryCount));
        Assert.NotEqual(original[0].DeliveryId, again.DeliveryId); // a new delivery: its id is not the key
    }

    [Fact]
    public async Task Should_redeliver_an_item_whose_ack_timed_out_under_the_same_item_id_with_delivery_count_2()
    {
        StartCoordinator(new QueueOptions { AckTimeout = TimeSpan.FromMilliseconds(200) });
        var producer = CreateTestProbe();
        var lost = CreateTestProbe();
        var next = CreateTestProbe();
        await PutAsync(producer, Put("p", 1, "0a"));
        var original = Assert.Single(await GetNowAsync(lost, 1));

        Queue.Tell(new Get(1), next.Ref); // waits: the only item is in flight with a consumer that never answers
        var again = Assert.Single((await next.ExpectMsgAsync<Delivery>(TimeSpan.FromSeconds(10), cancellationToken: Ct)).Items);

        Assert.Equal((original.ItemId, 1), (again.ItemId, original.DeliveryCount));
        Assert.Equal(("0a", 2), (again.Item.Hex, again.DeliveryCount));
    }

    [Fact]
    public async Task Should_deliver_items_under_the_same_ids_after_a_restart_and_go_on_counting_their_deliveries()
    {
        StartCoordinator();
        var producer = CreateTestProbe();
        var consumer = CreateTestProbe();
        await PutAsync(producer, Put("p", 1, "01", "02", "03"));
        var before = await GetNowAsync(consumer, 2); // 01 in flight at the crash, 02 handed back before it
        Queue.Tell(new Release([before[1].DeliveryId]), consumer.Ref);

        await RestartAsync();
        var after = await GetNowAsync(consumer, 3);

        Assert.Equal(["01", "02", "03"], after.Select(d => d.Item.Hex));
        Assert.Equal([before[0].ItemId, before[1].ItemId], after.Take(2).Select(d => d.ItemId));
        Assert.Equal([2, 2, 1], after.Select(d => d.DeliveryCount));
        Assert.DoesNotContain(after[2].ItemId, before.Select(d => d.ItemId));

        await RestartAsync();
        var third = await GetNowAsync(consumer, 3);

        Assert.Equal(after.Select(d => d.ItemId), third.Select(d => d.ItemId));
        Assert.Equal([3, 3, 2], third.Select(d => d.DeliveryCount));
    }

    [Fact]
    public async Task Should_keep_an_items_delivery_count_in_snapshots_past_the_deliveries_it_remembers()
    {
        // A snapshot every few events, and the events it covers deleted: what the count was must be in the snapshot.
        StartCoordinator(new QueueOptions { SnapshotEvery = 3 });
        var producer = CreateTestProbe();
        var consumer = CreateTestProbe();
        await PutAsync(producer, Put("p", 1, "0c", "0d"));
        var deliveries = 2 * ItemState<object>.MaxKnownDeliveries; // more than the delivery ids an item keeps
        DeliveredItem last = default;
        for (var i = 1; i <= deliveries; i++)
        {
            last = Assert.Single(await GetNowAsync(consumer, 1));
            Assert.Equal(("0c", i), (last.Item.Hex, last.DeliveryCount));
            Queue.Tell(new Release([last.DeliveryId]), consumer.Ref);
        }

        await AllStoredAsync();
        var saved = await AwaitSnapshotPastRememberedDeliveriesAsync(last.ItemId);
        Output?.WriteLine($"Snapshot at event {saved.Metadata.SequenceNr}.");

        await RestartAsync();
        var after = await GetNowAsync(consumer, 2);

        Assert.Equal([last.ItemId, last.ItemId + 1], after.Select(d => d.ItemId));
        Assert.Equal([deliveries + 1, 1], after.Select(d => d.DeliveryCount));
    }

    [Fact]
    public async Task Should_keep_a_dead_letters_item_id_when_it_is_put_back_and_after_a_restart()
    {
        StartCoordinator();
        var producer = CreateTestProbe();
        var consumer = CreateTestProbe();
        await PutAsync(producer, Put("p", 1, "01", "02"));
        var failing = Assert.Single(await GetNowAsync(consumer, 1));
        Queue.Tell(new TaskFailed(failing.DeliveryId, 3, "InvalidOperationException: boom"), consumer.Ref);
        Assert.Equal(failing.ItemId, Assert.Single(await DeadLettersAsync()).ItemId);

        Assert.Equal(1, (await AskAsync<DeadLettersRequeuedAck>(new RequeueDeadLetters([failing.ItemId]))).Count);
        var requeued = await GetNowAsync(consumer, 5);

        var again = Assert.Single(requeued, d => d.Item.Hex == "01");
        Assert.Equal((failing.ItemId, 2), (again.ItemId, again.DeliveryCount)); // delivered before it was dead-lettered

        await RestartAsync();
        var afterRestart = await GetNowAsync(consumer, 5);

        var restarted = Assert.Single(afterRestart, d => d.Item.Hex == "01");
        Assert.Equal((failing.ItemId, 3), (restarted.ItemId, restarted.DeliveryCount));
    }

    /// <summary>
    /// Waits for the latest snapshot to hold the item with more deliveries than it remembers the ids of (the
    /// events after it replay the rest), so that only the snapshot's count can say how often it was delivered.
    /// </summary>
    private async Task<SelectedSnapshot> AwaitSnapshotPastRememberedDeliveriesAsync(long itemId)
    {
        var persistence = Persistence.Instance.Apply(Sys);
        var probe = CreateTestProbe();
        SelectedSnapshot? found = null;
        await AwaitAssertAsync(async () =>
        {
            persistence.SnapshotStoreFor(null).Tell(new LoadSnapshot(CoordinatorActor.QueuePersistenceId, SnapshotSelectionCriteria.Latest, long.MaxValue), probe.Ref);
            var snapshot = (await probe.ExpectMsgAsync<LoadSnapshotResult>(cancellationToken: Ct)).Snapshot;
            Assert.NotNull(snapshot);
            var item = Assert.Single(Assert.IsType<QueueEvents.CoordinatorSnapshot>(snapshot.Snapshot).Items, i => i.Id == itemId);
            Assert.True(
                item.DeliveryIds.Count < item.Deliveries,
                $"the snapshot remembers {item.DeliveryIds.Count} delivery ids for {item.Deliveries} deliveries: it does not show the count is kept");
            found = snapshot;
        }, cancellationToken: Ct);
        return found!;
    }
}
