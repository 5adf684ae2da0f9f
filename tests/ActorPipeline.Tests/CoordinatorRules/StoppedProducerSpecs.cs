using ActorPipeline.Coordinator;
using ActorPipeline.Tests.Model;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Tests.CoordinatorRules;

/// <summary>
/// A stop is not a finish, in the coordinator's rules: a producer stopped on request keeps its place,
/// the run waits for it past the producer timeout and across restarts, and only its return or an
/// operator's end of the run lets the run complete (fake clock).
/// </summary>
public sealed class StoppedProducerSpecs
{
    private readonly StateHarness _q = new(new QueueOptions { ProducerTimeout = TimeSpan.FromSeconds(30) }, expectedProducers: 1);
    private readonly ModelClient _joiner = new("joiner");
    private readonly ModelClient _consumer = new("consumer");
    private readonly ModelClient _first = new("producer-0 (its node was stopped)");

    private void StopAfterOnePut()
    {
        _q.Do(s => s.RegisterProducer(_first, new RegisterProducer("p-0")));
        _q.Do(s => s.Put(_first, new Put("p-0", 1, [_q.Item("01")]))).Do(s => s.Get(_consumer, new Get(1)));
        _q.Do(s => s.TaskDone(_consumer, new TaskDone(Assert.Single(_q.SingleDelivery(_consumer).Items).DeliveryId)));
        _q.Do(s => s.ProducerStopped(_first, new ProducerStopped("p-0", 1))).Do(s => s.ClientTerminated(_first)).Do(s => s.JoinRun(_joiner));
    }

    [Fact]
    public void Should_keep_waiting_for_a_stopped_producer_past_the_producer_timeout()
    {
        StopAfterOnePut();

        _q.Time.Advance(TimeSpan.FromMinutes(10));
        _q.Do(s => s.Tick());

        var status = _q.State.Status();
        Assert.Equal((0, 0), (status.ProducersLost, status.ProducersDone));
        Assert.False(_q.State.IsRunComplete);
        Assert.Empty(_q.Take<RunCompleted>(_joiner));
        Assert.Contains(_q.Journal, e => e is QueueEvents.ProducerSuspended { ProducerId: "p-0" });
    }

    [Fact]
    public void Should_resume_a_stopped_producer_after_its_last_put_across_a_coordinator_restart_and_then_complete()
    {
        StopAfterOnePut();
        _q.Recover(); // the journal holds it stopped: a restart does not start its producer timeout
        _q.Time.Advance(TimeSpan.FromMinutes(1));
        _q.Do(s => s.Tick());
        Assert.Equal(0, _q.State.Status().ProducersLost);

        var second = new ModelClient("producer-0 (its node started again)");
        _q.Do(s => s.RegisterProducer(second, new RegisterProducer("p-0")));
        var registered = Assert.Single(_q.Take<ProducerRegistered>(second));
        Assert.Equal((1L, 1L), (registered.LastAcceptedSequenceNr, registered.AcceptedItems)); // resumes after its put
        _q.Do(s => s.Put(second, new Put("p-0", 2, [_q.Item("02")]))).Do(s => s.Get(_consumer, new Get(1)));
        _q.Do(s => s.TaskDone(_consumer, new TaskDone(Assert.Single(_q.SingleDelivery(_consumer).Items).DeliveryId)));
        _q.Do(s => s.ProducerDone(second, new ProducerDone("p-0", 2))).Do(s => s.JoinRun(_joiner));

        var completed = Assert.Single(_q.Take<RunCompleted>(_joiner)).Status;
        Assert.Equal((2L, 2L, 1, 0), (completed.Accepted, completed.Completed, completed.ProducersDone, completed.ProducersLost));
    }

    [Fact]
    public void Should_let_an_operator_end_a_run_whose_producer_was_stopped()
    {
        StopAfterOnePut();

        _q.Do(s => s.EndRun(new ModelClient("operator"), new EndRun("spec")));

        Assert.True(_q.State.IsRunComplete);
        Assert.Single(_q.Take<RunCompleted>(_joiner));
    }

    [Fact]
    public void Should_ignore_a_stop_from_a_producer_that_is_done()
    {
        _q.Do(s => s.RegisterProducer(_first, new RegisterProducer("p-0"))).Do(s => s.ProducerDone(_first, new ProducerDone("p-0", 0)));

        _q.Do(s => s.ProducerStopped(_first, new ProducerStopped("p-0", 0))).Do(s => s.JoinRun(_joiner));

        Assert.Single(_q.Take<RunCompleted>(_joiner));
        Assert.DoesNotContain(_q.Journal, e => e is QueueEvents.ProducerSuspended);
    }

    [Fact]
    public void Should_name_the_stopped_producers_once_the_run_has_waited_for_them_alone_for_the_producer_timeout()
    {
        StopAfterOnePut();
        _q.Do(s => s.Tick());
        _q.Time.Advance(TimeSpan.FromSeconds(29));
        _q.Do(s => s.Tick());
        Assert.DoesNotContain(_q.Log.Events, e => e.Message.Contains("The run waits only for producers stopped", StringComparison.Ordinal));

        _q.Time.Advance(TimeSpan.FromSeconds(1));
        _q.Do(s => s.Tick()).Do(s => s.Tick());

        var warning = Assert.Single(_q.Log.Events, e => e.Message.Contains("The run waits only for producers stopped", StringComparison.Ordinal));
        Assert.Contains("p-0", warning.Message, StringComparison.Ordinal);
        Assert.Contains("run end", warning.Message, StringComparison.Ordinal);
    }
}
