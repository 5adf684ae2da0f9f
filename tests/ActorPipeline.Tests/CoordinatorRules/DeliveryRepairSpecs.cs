using ActorPipeline.Coordinator;
using ActorPipeline.Tests.Model;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Tests.CoordinatorRules;

/// <summary>How a delivery that went wrong on the way is repaired: lost messages, the ack timeout on a fake clock, late and repeated acks.</summary>
public sealed class DeliveryRepairSpecs
{
    private readonly StateHarness _q = new(new QueueOptions { AckTimeout = TimeSpan.FromMinutes(5), MaxDeliveryBatch = 3 });
    private readonly ModelClient _consumer = new("consumer");
    private readonly ModelClient _other = new("other");

    [Fact]
    public void Should_queue_again_at_the_next_request_an_item_whose_task_done_was_lost()
    {
        _q.Do(s => s.Put(_q.Producer, _q.PutOf("0a"))).Do(s => s.RequestWork(_consumer, new RequestWork(1)));
        var first = Assert.Single(_q.SingleDelivery(_consumer).Items);

        // The consumer finished it and said so, but the task_done was lost: its next request holds nothing.
        _q.Do(s => s.RequestWork(_consumer, new RequestWork(1, [], first.DeliveryId)));

        var again = Assert.Single(_q.SingleDelivery(_consumer).Items); // at once, not after the five-minute ack timeout
        Assert.Equal("0a", again.Item.Hex);
        Assert.True(again.DeliveryId > first.DeliveryId);
        Assert.Equal((1L, 1), (_q.State.Status().Redelivered, _q.State.InFlight));
    }

    [Fact]
    public void Should_mark_how_far_deliveries_went_and_queue_again_one_the_consumer_never_got()
    {
        _q.Do(s => s.Put(_q.Producer, _q.PutOf("0b"))).Do(s => s.RequestWork(_consumer, new RequestWork(1)));
        var lost = Assert.Single(_q.SingleDelivery(_consumer).Items); // it never arrives

        _q.Do(s => s.RequestWork(_consumer, new RequestWork(1, [], 0)));
        var mark = Assert.Single(_q.Take<DeliveredUpTo>(_consumer));
        Assert.Equal(lost.DeliveryId, mark.LastDeliveryId);
        Assert.Empty(_q.Take<Delivery>(_consumer)); // it may still be on its way: nothing is redelivered yet

        _q.Do(s => s.RequestWork(_consumer, new RequestWork(1, [], mark.LastDeliveryId)));
        Assert.Equal("0b", Assert.Single(_q.SingleDelivery(_consumer).Items).Item.Hex);
    }

    [Fact]
    public void Should_leave_alone_what_a_request_says_the_consumer_holds()
    {
        _q.Do(s => s.Put(_q.Producer, _q.PutOf("01", "02"))).Do(s => s.RequestWork(_consumer, new RequestWork(2)));
        var held = _q.SingleDelivery(_consumer).Items.Select(d => d.DeliveryId).ToList();
        _q.Told.Clear();

        _q.Do(s => s.RequestWork(_consumer, new RequestWork(2, held, held.Max())));

        Assert.Empty(_q.Told);
        Assert.Equal((0L, 2), (_q.State.Status().Redelivered, _q.State.InFlight));
    }

    [Fact]
    public void Should_split_a_get_nowait_into_deliveries_no_larger_than_the_batch_limit()
    {
        _q.Do(s => s.Put(_q.Producer, _q.PutOf("01", "02", "03", "04", "05", "06", "07")));

        _q.Do(s => s.Get(_consumer, new Get(7, Wait: false)));

        Assert.Equal([3, 3, 1], _q.Take<Delivery>(_consumer).Select(d => d.Items.Count));
    }

    [Fact]
    public void Should_queue_again_a_delivery_not_done_within_the_ack_timeout_and_count_a_late_ack_once()
    {
        _q.Do(s => s.Put(_q.Producer, _q.PutOf("0a"))).Do(s => s.Get(_consumer, new Get(1)));
        var first = Assert.Single(_q.SingleDelivery(_consumer).Items);

        _q.Time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromTicks(1));
        _q.Do(s => s.Tick());
        Assert.Equal(1, _q.State.InFlight); // not yet

        _q.Time.Advance(TimeSpan.FromTicks(1));
        _q.Do(s => s.Tick()).Do(s => s.Get(_other, new Get(1)));
        var second = Assert.Single(_q.SingleDelivery(_other).Items);
        Assert.Equal("0a", second.Item.Hex);

        _q.Do(s => s.TaskDone(_consumer, new TaskDone(first.DeliveryId))); // the slow consumer finishes after all
        _q.Do(s => s.TaskDone(_other, new TaskDone(second.DeliveryId)));
        var status = _q.State.Status();
        Assert.Equal((1L, 1L, 1L, 0), (status.Completed, status.DuplicateAcks, status.Redelivered, status.Unfinished));
        Assert.Contains(_q.Log.Events, e => e.Message.Contains("Deliveries not done within 00:05:00 and not renewed by their consumer (gone, cut off or stuck): 1", StringComparison.Ordinal));
        Assert.Contains(_q.Log.Events, e => e.Message.Contains($"completed by a late task_done of delivery {first.DeliveryId}", StringComparison.Ordinal)); // fencing, logged
    }

    [Fact]
    public void Should_skip_an_item_completed_by_a_late_ack_while_it_waited_to_be_delivered_again()
    {
        _q.Do(s => s.Put(_q.Producer, _q.PutOf("0b"))).Do(s => s.Get(_consumer, new Get(1)));
        var first = Assert.Single(_q.SingleDelivery(_consumer).Items);
        _q.Time.Advance(TimeSpan.FromMinutes(5));
        _q.Do(s => s.Tick()); // timed out: queued again

        _q.Do(s => s.TaskDone(_consumer, new TaskDone(first.DeliveryId))).Do(s => s.Put(_q.Producer, _q.PutOf("0c"))).Do(s => s.Get(_other, new Get(1)));

        Assert.Equal("0c", Assert.Single(_q.SingleDelivery(_other).Items).Item.Hex); // "0b" was done: never handed out twice
        Assert.Equal((1L, 0L), (_q.State.Status().Completed, _q.State.Status().DuplicateAcks));
    }

    [Fact]
    public void Should_not_let_a_stale_failure_dead_letter_an_item_another_consumer_holds()
    {
        _q.Do(s => s.Put(_q.Producer, _q.PutOf("0a"))).Do(s => s.Get(_consumer, new Get(1)));
        var first = Assert.Single(_q.SingleDelivery(_consumer).Items);
        _q.Time.Advance(TimeSpan.FromMinutes(5));
        _q.Do(s => s.Tick()).Do(s => s.Get(_other, new Get(1)));
        var second = Assert.Single(_q.SingleDelivery(_other).Items);

        _q.Do(s => s.TaskFailed(_consumer, new TaskFailed(first.DeliveryId, 3, "gave up late")));
        _q.Do(s => s.TaskDone(_other, new TaskDone(second.DeliveryId)));

        var status = _q.State.Status();
        Assert.Equal((1L, 0L, 0), (status.Completed, status.DeadLettered, status.Unfinished));
    }

    [Fact]
    public void Should_complete_an_item_named_twice_in_one_task_done_once()
    {
        _q.Do(s => s.Put(_q.Producer, _q.PutOf("0d"))).Do(s => s.Get(_consumer, new Get(1)));
        var delivered = Assert.Single(_q.SingleDelivery(_consumer).Items);

        _q.Do(s => s.TaskDone(_consumer, new TaskDone([delivered.DeliveryId, delivered.DeliveryId])));

        Assert.Equal((1L, 1L), (_q.State.Status().Completed, _q.State.Status().DuplicateAcks));
    }

    [Fact]
    public void Should_hold_nothing_for_a_delivered_item_once_it_is_done()
    {
        // Before, every delivery left a deadline behind until the ack timeout passed, done or not.
        for (var round = 0; round < 1_000; round++)
        {
            _q.Do(s => s.Put(_q.Producer, _q.PutOf("01", "02", "03"))).Do(s => s.RequestWork(_consumer, new RequestWork(3)));
            var ids = _q.SingleDelivery(_consumer).Items.Select(d => d.DeliveryId).ToList();
            _q.Do(s => s.TaskDone(_consumer, new TaskDone(ids)));
        }

        Assert.Equal(3_000L, _q.State.Status().Completed);
        Assert.All(_q.State.StructureSizes, size => Assert.True(size.Value <= 64, $"{size.Key} holds {size.Value} with nothing outstanding"));
    }
}
