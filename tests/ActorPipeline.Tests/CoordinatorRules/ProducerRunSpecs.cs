using ActorPipeline.Coordinator;
using ActorPipeline.Tests.Model;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Tests.CoordinatorRules;

/// <summary>Producers in the run: lost and back, done only when it really is, silent after a restart (fake clock), and joiners.</summary>
public sealed class ProducerRunSpecs
{
    private readonly StateHarness _q = new(new QueueOptions { ProducerTimeout = TimeSpan.FromSeconds(30) }, expectedProducers: 1);
    private readonly ModelClient _joiner = new("joiner");
    private readonly ModelClient _consumer = new("consumer");

    [Fact]
    public void Should_wait_again_for_a_lost_producer_that_registers_again()
    {
        var first = new ModelClient("producer-0 (first actor)");
        var second = new ModelClient("producer-0 (restarted)");
        _q.Do(s => s.RegisterProducer(first, new RegisterProducer("p-0"))).Do(s => s.ClientTerminated(first));
        _q.Time.Advance(TimeSpan.FromSeconds(30));
        _q.Do(s => s.Tick());
        Assert.Equal(1, _q.State.Status().ProducersLost);

        _q.Do(s => s.RegisterProducer(second, new RegisterProducer("p-0"))).Do(s => s.JoinRun(_joiner));

        Assert.Equal((0, 1), (_q.State.Status().ProducersLost, _q.State.Status().ProducersRegistered));
        Assert.False(_q.State.IsRunComplete);
        _q.Do(s => s.Put(second, new Put("p-0", 1, [_q.Item("01")]))).Do(s => s.Get(_consumer, new Get(1)));
        _q.Do(s => s.TaskDone(_consumer, new TaskDone(Assert.Single(_q.SingleDelivery(_consumer).Items).DeliveryId)));
        Assert.Empty(_q.Take<RunCompleted>(_joiner)); // the queue is empty, but the producer is not done

        _q.Do(s => s.ProducerDone(second, new ProducerDone("p-0", 1)));
        Assert.Equal(1L, Assert.Single(_q.Take<RunCompleted>(_joiner)).Status.Completed);
    }

    [Fact]
    public void Should_wait_again_for_a_lost_producer_that_puts_again()
    {
        var producer = new ModelClient("producer-0");
        _q.Do(s => s.RegisterProducer(producer, new RegisterProducer("p-0"))).Do(s => s.ClientTerminated(producer));
        _q.Time.Advance(TimeSpan.FromSeconds(30));
        _q.Do(s => s.Tick());

        _q.Do(s => s.Put(producer, new Put("p-0", 1, [_q.Item("01")])));

        Assert.Equal(0, _q.State.Status().ProducersLost);
        Assert.Contains(_q.Log.Events, e => e.Message.Contains("Producer p-0 was counted lost but is back", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_not_count_a_producer_done_that_names_an_earlier_put_than_the_queue_holds()
    {
        var producer = new ModelClient("producer-0");
        _q.Do(s => s.RegisterProducer(producer, new RegisterProducer("p-0")));
        _q.Do(s => s.Put(producer, new Put("p-0", 1, [_q.Item("01")]))).Do(s => s.Put(producer, new Put("p-0", 2, [_q.Item("02")])));

        _q.Do(s => s.ProducerDone(producer, new ProducerDone("p-0", 1))); // a stale done from an earlier incarnation

        Assert.Empty(_q.Take<ProducerDoneAck>(producer));
        Assert.Equal(0, _q.State.Status().ProducersDone);
        _q.Do(s => s.ProducerDone(producer, new ProducerDone("p-0", 2)));
        Assert.Single(_q.Take<ProducerDoneAck>(producer));
        Assert.Equal(1, _q.State.Status().ProducersDone);
    }

    [Fact]
    public void Should_give_a_producer_whose_actor_stopped_the_producer_timeout_then_count_it_lost_and_end_the_run()
    {
        var producer = new ModelClient("producer-0 (its node was killed)");
        _q.Do(s => s.RegisterProducer(producer, new RegisterProducer("p-0"))).Do(s => s.JoinRun(_joiner));
        _q.Do(s => s.ClientTerminated(producer));

        _q.Time.Advance(TimeSpan.FromSeconds(30) - TimeSpan.FromTicks(1));
        _q.Do(s => s.Tick());
        Assert.Empty(_q.Take<RunCompleted>(_joiner)); // it may still come back

        _q.Time.Advance(TimeSpan.FromTicks(1));
        _q.Do(s => s.Tick());
        var completed = Assert.Single(_q.Take<RunCompleted>(_joiner));
        Assert.Equal((0, 1), (completed.Status.ProducersDone, completed.Status.ProducersLost));
    }

    [Fact]
    public void Should_not_count_a_producer_lost_whose_node_comes_back_within_the_producer_timeout()
    {
        var before = new ModelClient("producer-0 (before its node restarted)");
        var after = new ModelClient("producer-0 (after)");
        _q.Do(s => s.RegisterProducer(before, new RegisterProducer("p-0")));
        _q.Do(s => s.Put(before, new Put("p-0", 1, [_q.Item("01")]))).Do(s => s.ClientTerminated(before)).Do(s => s.JoinRun(_joiner));
        _q.Time.Advance(TimeSpan.FromSeconds(1));

        _q.Do(s => s.RegisterProducer(after, new RegisterProducer("p-0")));
        _q.Time.Advance(TimeSpan.FromMinutes(5));
        _q.Do(s => s.Tick());

        Assert.Equal(1L, Assert.Single(_q.Take<ProducerRegistered>(after)).LastAcceptedSequenceNr); // it resumes after its put
        Assert.Equal(0, _q.State.Status().ProducersLost);
        Assert.Empty(_q.Take<RunCompleted>(_joiner));
    }

    [Fact]
    public void Should_refuse_a_put_that_arrives_after_the_run_is_over_and_say_why()
    {
        var late = new ModelClient("producer-0 (came back too late)");
        _q.Do(s => s.ProducerDone(late, new ProducerDone("p-1", 0))).Do(s => s.JoinRun(_joiner));
        Assert.Single(_q.Take<RunCompleted>(_joiner));

        _q.Do(s => s.Put(late, new Put("p-0", 5, [_q.Item("05")])));

        var refused = Assert.Single(_q.Take<PutRejected>(late));
        Assert.Equal((PutRejection.RunOver, 0), (refused.Reason, refused.Accepted));
        Assert.Equal(0L, _q.State.Status().Accepted);
    }

    [Fact]
    public void Should_count_a_producer_silent_after_a_restart_lost_once_the_producer_timeout_passes()
    {
        var producer = new ModelClient("producer-0");
        _q.Do(s => s.RegisterProducer(producer, new RegisterProducer("p-0")));
        _q.Recover();

        _q.Time.Advance(TimeSpan.FromSeconds(30) - TimeSpan.FromTicks(1));
        _q.Do(s => s.Tick());
        Assert.Equal(0, _q.State.Status().ProducersLost);

        _q.Time.Advance(TimeSpan.FromTicks(1));
        _q.Do(s => s.Tick());
        Assert.Equal(1, _q.State.Status().ProducersLost);
    }

    [Fact]
    public void Should_not_count_a_producer_lost_that_is_heard_from_after_a_restart()
    {
        var producer = new ModelClient("producer-0");
        _q.Do(s => s.RegisterProducer(producer, new RegisterProducer("p-0")));
        _q.Recover();
        _q.Time.Advance(TimeSpan.FromSeconds(29));
        _q.Do(s => s.RegisterProducer(producer, new RegisterProducer("p-0")));

        _q.Time.Advance(TimeSpan.FromMinutes(5));
        _q.Do(s => s.Tick());

        Assert.Equal(0, _q.State.Status().ProducersLost);
    }

    [Fact]
    public void Should_answer_a_joiner_once_however_often_it_joins_and_watch_it()
    {
        _q.Do(s => s.Put(_q.Producer, _q.PutOf("01"))).Do(s => s.Get(_consumer, new Get(1)));
        var delivered = Assert.Single(_q.SingleDelivery(_consumer).Items);

        _q.Do(s => s.Join(_joiner)).Do(s => s.Join(_joiner));
        Assert.Contains(_joiner, _q.Watched);
        _q.Do(s => s.TaskDone(_consumer, new TaskDone(delivered.DeliveryId)));

        Assert.Single(_q.Take<Joined>(_joiner));
    }

    [Fact]
    public void Should_forget_a_joiner_that_stopped()
    {
        _q.Do(s => s.Put(_q.Producer, _q.PutOf("01"))).Do(s => s.Get(_consumer, new Get(1)));
        var delivered = Assert.Single(_q.SingleDelivery(_consumer).Items);
        _q.Do(s => s.Join(_joiner)).Do(s => s.JoinRun(_joiner));

        _q.Do(s => s.ClientTerminated(_joiner)).Do(s => s.TaskDone(_consumer, new TaskDone(delivered.DeliveryId)));

        Assert.DoesNotContain(_q.Told, t => t.To == _joiner);
        Assert.Equal(0, _q.State.StructureSizes["joiners"]);
    }

    [Fact]
    public void Should_report_progress_at_the_rate_the_fake_clock_shows()
    {
        var items = Enumerable.Range(0, 10).Select(i => $"{i:x2}").ToArray();
        _q.Do(s => s.Put(_q.Producer, _q.PutOf(items))).Do(s => s.RequestWork(_consumer, new RequestWork(10)));
        var ids = _q.Take<Delivery>(_consumer).SelectMany(d => d.Items).Select(d => d.DeliveryId).ToList();
        _q.Do(s => s.TaskDone(_consumer, new TaskDone(ids[..4])));
        _q.Do(s => s.ReportProgress());

        _q.Time.Advance(TimeSpan.FromSeconds(2));
        _q.Do(s => s.TaskDone(_consumer, new TaskDone(ids[4..])));
        _q.Do(s => s.ReportProgress());
        _q.Do(s => s.ReportProgress()); // nothing changed: silent

        var progress = _q.Log.Events.Where(e => e.Message.StartsWith("Progress: ", StringComparison.Ordinal)).Select(e => e.Message).ToList();
        Assert.Equal(2, progress.Count);
        Assert.StartsWith("Progress: done 10 of 10 accepted, 3 items/s, outstanding 0", progress[1], StringComparison.Ordinal);
    }
}
