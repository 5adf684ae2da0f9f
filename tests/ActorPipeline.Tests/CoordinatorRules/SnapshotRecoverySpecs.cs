using ActorPipeline.Coordinator;
using ActorPipeline.Tests.Model;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Tests.CoordinatorRules;

/// <summary>What a snapshot keeps: a put admitted in part, and the counts that used to reset on failover.</summary>
public sealed class SnapshotRecoverySpecs
{
    private readonly ModelClient _consumer = new("consumer");

    [Fact]
    public void Should_continue_a_put_admitted_in_part_after_recovering_from_a_snapshot()
    {
        var q = new StateHarness(new QueueOptions { Capacity = 2 });
        var put = q.PutOf("01", "02", "03", "04", "05");
        q.Do(s => s.Put(q.Producer, put)); // two are in, three wait for room
        Assert.Equal((2, 1), (q.State.Queued, q.State.Status().ParkedPuts));

        var snapshot = q.State.Snapshot(); // before, no snapshot was taken while a put was admitted in part
        var snapshotAt = q.Journal.Count;
        q.Recover(snapshot, snapshotAt);
        q.Do(s => s.Put(q.Producer, put)); // the producer resends the put it is waiting on

        var got = new List<string>();
        while (q.Take<PutAccepted>(q.Producer).Count == 0)
        {
            q.Do(s => s.Get(_consumer, new Get(1)));
            var delivered = Assert.Single(q.SingleDelivery(_consumer).Items);
            got.Add(delivered.Item.Hex);
            q.Do(s => s.TaskDone(_consumer, new TaskDone(delivered.DeliveryId)));
        }

        Assert.Equal(5L, q.State.Status().Accepted); // not seven: the two already in were not admitted again
        Assert.Equal(["01", "02", "03"], got);
    }

    [Fact]
    public void Should_keep_the_redelivered_and_duplicate_ack_counts_across_a_snapshot()
    {
        var q = new StateHarness();
        q.Do(s => s.Put(q.Producer, q.PutOf("01"))).Do(s => s.Get(_consumer, new Get(1)));
        var first = Assert.Single(q.SingleDelivery(_consumer).Items);
        q.Do(s => s.Release(_consumer, new Release([first.DeliveryId]))).Do(s => s.Get(_consumer, new Get(1)));
        var second = Assert.Single(q.SingleDelivery(_consumer).Items);
        q.Do(s => s.TaskDone(_consumer, new TaskDone(second.DeliveryId))).Do(s => s.TaskDone(_consumer, new TaskDone(first.DeliveryId)));
        var before = q.State.Status();

        q.Recover(q.State.Snapshot(), q.Journal.Count);

        var after = q.State.Status();
        Assert.Equal((1L, 1L, 1L), (before.Redelivered, before.DuplicateAcks, before.Completed));
        Assert.Equal((before.Redelivered, before.DuplicateAcks, before.Completed), (after.Redelivered, after.DuplicateAcks, after.Completed));
    }
}
