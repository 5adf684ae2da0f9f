using ActorPipeline.Coordinator;
using ActorPipeline.Tests.Model;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Tests.CoordinatorRules;

/// <summary>The overview the operator's page shows, from the queue's own state on a fake clock.</summary>
public sealed class OverviewSpecs
{
    private readonly StateHarness _q = new(new QueueOptions { MaxDeliveryBatch = 10 }, expectedProducers: 1);
    private readonly ModelClient _a = new("consumer-a");
    private readonly ModelClient _b = new("consumer-b");

    private QueueOverview Overview => _q.State.Overview(c => c.ToString());

    [Fact]
    public void Should_carry_the_very_status_get_status_answers()
    {
        _q.Do(s => s.RegisterProducer(_q.Producer, new RegisterProducer(_q.Producer.ToString(), "node-a", 1)))
            .Do(s => s.Put(_q.Producer, _q.PutOf("01", "02", "03")))
            .Do(s => s.RequestWork(_a, new RequestWork(2)));

        Assert.Equal(_q.State.Status(), Overview.Status);
        Assert.Equal((1, 2, 3), (Overview.Status.Size, Overview.Status.InFlight, Overview.Status.Unfinished));
    }

    [Fact]
    public void Should_say_what_each_consumer_holds_and_completed_and_keep_one_that_stopped()
    {
        _q.Do(s => s.Put(_q.Producer, _q.PutOf("01", "02", "03", "04", "05")))
            .Do(s => s.RequestWork(_a, new RequestWork(3)))
            .Do(s => s.RequestWork(_b, new RequestWork(2)));
        var toA = _q.SingleDelivery(_a).Items;
        _q.Do(s => s.TaskDone(_a, new TaskDone([toA[0].DeliveryId, toA[1].DeliveryId])));

        Assert.Equal(
            [new ConsumerOverview("consumer-a", 1, 2, Connected: true), new ConsumerOverview("consumer-b", 2, 0, Connected: true)],
            Overview.Consumers);

        // b stops holding two: they go back, to a (whose window of 3 has room for them), and b's row stays with what it had completed.
        _q.Do(s => s.ClientTerminated(_b));
        Assert.Equal(
            [new ConsumerOverview("consumer-a", 3, 2, Connected: true), new ConsumerOverview("consumer-b", 0, 0, Connected: false)],
            Overview.Consumers);
        Assert.Equal(Overview.Status.InFlight, Overview.Consumers.Sum(c => c.InHand));
    }

    [Fact]
    public void Should_say_where_each_producer_is_and_how_many_of_its_items_are_in()
    {
        var other = new ModelClient("other-producer");
        _q.Do(s => s.RegisterProducer(_q.Producer, new RegisterProducer(_q.Producer.ToString(), "node-a", 2)))
            .Do(s => s.RegisterProducer(other, new RegisterProducer("other-producer", "node-a", 2)))
            .Do(s => s.Put(_q.Producer, _q.PutOf("01", "02")))
            .Do(s => s.ProducerDone(_q.Producer, new ProducerDone(_q.Producer.ToString(), 1)))
            .Do(s => s.Put(other, new Put("other-producer", 1, [_q.Item("03")])))
            .Do(s => s.ClientTerminated(other));

        Assert.Equal(
            [new ProducerOverview("other-producer", "node-a", ProducerPhase.Active, 1), new ProducerOverview(_q.Producer.ToString(), "node-a", ProducerPhase.Done, 2)],
            Overview.Producers.OrderBy(p => p.Phase));
        Assert.Equal(Overview.Status.Accepted, Overview.Producers.Sum(p => p.Accepted));
    }

    [Fact]
    public void Should_take_latency_percentiles_from_put_to_delivery_over_the_last_minute()
    {
        // Ten items put at one instant, handed out after 10, 20, ... 100 ms.
        _q.Do(s => s.Put(_q.Producer, _q.PutOf("00", "01", "02", "03", "04", "05", "06", "07", "08", "09")));
        for (var i = 0; i < 10; i++)
        {
            _q.Time.Advance(TimeSpan.FromMilliseconds(10));
            _q.Do(s => s.RequestWork(new ModelClient($"consumer-{i}"), new RequestWork(1)));
        }

        var latency = Overview.Latency;
        Assert.Equal((10, TimeSpan.FromMinutes(1)), (latency.Count, latency.Window));
        Assert.Equal(0.05, latency.P50, 6);
        Assert.Equal(0.09, latency.P90, 6);
        Assert.Equal(0.10, latency.P99, 6);
        Assert.Equal(0.10, latency.Max, 6);

        // A minute on, those deliveries are out of the window: no figure rather than an old one.
        _q.Time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(LatencySummary.None(TimeSpan.FromMinutes(1)), Overview.Latency);
    }

    [Fact]
    public void Should_list_the_newest_dead_letters_cut_short_and_count_them_all()
    {
        var queue = new StateHarness(new QueueOptions { MaxDeliveryBatch = 100 });
        var consumer = new ModelClient("consumer");
        var payload = new string('7', 200); // 100 bytes
        queue.Do(s => s.Put(queue.Producer, queue.PutOf([.. Enumerable.Repeat(payload, 80)]))).Do(s => s.RequestWork(consumer, new RequestWork(80)));
        foreach (var delivered in queue.SingleDelivery(consumer).Items)
        {
            queue.Do(s => s.TaskFailed(consumer, new TaskFailed(delivered.DeliveryId, 3, new string('x', 1000))));
        }

        var overview = queue.State.Overview(c => c.ToString());
        Assert.Equal(80, overview.Status.DeadLettered);
        Assert.Equal(50, overview.NewestDeadLetters.Count);
        queue.Do(s => s.GetDeadLetters(consumer));
        var every = Assert.Single(queue.Take<DeadLetters>(consumer)).Items;
        Assert.Equal(every.Select(d => d.ItemId).OrderDescending().Take(50), overview.NewestDeadLetters.Select(d => d.ItemId)); // newest first
        Assert.All(overview.NewestDeadLetters, d =>
        {
            Assert.Equal((300, '…', 32, 100), (d.Error.Length, d.Error[^1], d.PayloadStart.Length, d.PayloadLength));
        });
    }

    [Fact]
    public void Should_count_only_first_deliveries_as_latencies()
    {
        _q.Do(s => s.Put(_q.Producer, _q.PutOf("01")));
        _q.Time.Advance(TimeSpan.FromMilliseconds(20));
        _q.Do(s => s.RequestWork(_a, new RequestWork(1)));
        _q.Time.Advance(TimeSpan.FromSeconds(30));

        // a stops holding it; b gets it 30 s later: a redelivery, whose wait is the consumer's failure, not the queue's.
        _q.Do(s => s.ClientTerminated(_a)).Do(s => s.RequestWork(_b, new RequestWork(1)));

        Assert.Single(_q.SingleDelivery(_b).Items);
        var latency = Overview.Latency;
        Assert.Equal((1, 0.02), (latency.Count, latency.Max));
    }

    [Fact]
    public void Should_keep_a_long_error_whole_characters_when_it_cuts_it()
    {
        var error = new string('x', DeadLetterOverview.MaxErrorLength - 2) + "🚀🚀"; // the cut would fall between a surrogate pair
        var cut = DeadLetterOverview.Of(new DeadLetteredItem(1, 1, _q.Item("01"), 1, error)).Error;

        Assert.EndsWith("x…", cut, StringComparison.Ordinal);
        Assert.DoesNotContain(cut, char.IsSurrogate);
    }

    [Fact]
    public void Should_take_percentiles_over_the_newest_deliveries_when_there_are_more_than_it_keeps()
    {
        var window = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var latencies = new LatencyWindow(window, TimeSpan.FromMinutes(1));
        for (var i = 0; i < LatencyWindow.Capacity + 1000; i++)
        {
            // The first thousand are slow (10 s); the newest Capacity are all 1 ms.
            latencies.Record(i < 1000 ? TimeSpan.FromSeconds(10) : TimeSpan.FromMilliseconds(1), window.GetTimestamp());
        }

        var summary = latencies.Summary();
        Assert.Equal(LatencyWindow.Capacity, summary.Count);
        Assert.Equal(0.001, summary.Max, 9);
    }

    [Fact]
    public void Should_count_a_put_time_ahead_of_the_coordinators_clock_as_no_wait()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var latencies = new LatencyWindow(clock, TimeSpan.FromMinutes(1));
        latencies.Record(TimeSpan.FromMilliseconds(-30), clock.GetTimestamp()); // the producer's node's clock runs ahead

        Assert.Equal(0, latencies.Summary().Max);
    }
}
