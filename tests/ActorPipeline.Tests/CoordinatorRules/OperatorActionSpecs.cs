using ActorPipeline.Coordinator;
using ActorPipeline.Tests.Model;
using static ActorPipeline.Coordinator.Persistence.QueueEvents;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Tests.CoordinatorRules;

/// <summary>An operator's word on a run, on the pure state: discarding dead letters, and ending the run for adding.</summary>
public sealed class OperatorActionSpecs
{
    private readonly StateHarness _q = new(new QueueOptions(), expectedProducers: 1);
    private readonly ModelClient _consumer = new("consumer");
    private readonly ModelClient _operator = new("operator");
    private readonly ModelClient _joiner = new("joiner");

    [Fact]
    public void Should_settle_a_discarded_dead_letter_carried_over_from_the_last_run()
    {
        var producer = new ModelClient("producer-0");
        _q.Do(s => s.RegisterProducer(producer, new RegisterProducer("p-0")))
            .Do(s => s.Put(producer, new Put("p-0", 1, [_q.Item("01"), _q.Item("0bad")])))
            .Do(s => s.ProducerDone(producer, new ProducerDone("p-0", 1)))
            .Do(s => s.Get(_consumer, new Get(2)));
        var delivered = _q.SingleDelivery(_consumer).Items;
        _q.Do(s => s.TaskDone(_consumer, new TaskDone([delivered[0].DeliveryId])))
            .Do(s => s.TaskFailed(_consumer, new TaskFailed(delivered[1].DeliveryId, 1, "PermanentItemFailureException: gone")))
            .Do(s => s.JoinRun(_joiner));
        Assert.Equal(1L, Assert.Single(_q.Take<RunCompleted>(_joiner)).Status.DeadLettered); // exit code 2 for this run

        // The next start: the dead letter carries over and counts in the new run, until it is discarded.
        _q.Recover();
        Assert.Equal((1L, 0L, 1L, 0L), Counts(_q.State.Status()));
        Assert.Contains(_q.Log.Events, e => e.Message == "Run 1 had ended before this start; this start begins run 2."); // told, not silent

        _q.Do(s => s.DiscardDeadLetters(_operator, new DiscardDeadLetters([2, 99]))); // 99 is no dead letter: passed over

        Assert.Equal(1, Assert.Single(_q.Take<DeadLettersDiscardedAck>(_operator)).Count);
        Assert.Equal([2L], Assert.IsType<DeadLettersDiscarded>(_q.Journal[^1]).ItemIds);
        Assert.Equal((1L, 0L, 0L, 1L), Counts(_q.State.Status()));
        Assert.Contains(_q.Log.Events, e => e.Message.StartsWith("Discarded 1 dead letters (items 2)", StringComparison.Ordinal));

        // Journaled: a coordinator that recovers knows it is gone and still counts it settled.
        _q.Recover();
        Assert.Equal((1L, 0L, 0L, 1L), Counts(_q.State.Status()));
        Assert.Empty(_q.Do(s => s.GetDeadLetters(_operator)).Take<DeadLetters>(_operator).Single().Items);
    }

    [Fact]
    public void Should_count_a_requeued_dead_letter_as_accepted_once()
    {
        var producer = new ModelClient("producer-0");
        _q.Do(s => s.Put(producer, new Put("p-0", 1, [_q.Item("0bad")]))).Do(s => s.Get(_consumer, new Get(1)));
        _q.Do(s => s.TaskFailed(_consumer, new TaskFailed(_q.SingleDelivery(_consumer).Items[0].DeliveryId, 3, "boom")));

        _q.Do(s => s.RequeueDeadLetters(_operator, new RequeueDeadLetters([]))).Do(s => s.Get(_consumer, new Get(1)));
        _q.Do(s => s.TaskDone(_consumer, new TaskDone([_q.SingleDelivery(_consumer).Items[0].DeliveryId])));

        var status = _q.State.Status();
        Assert.Equal((1L, 1L, 0L, 0), (status.Accepted, status.Completed, status.DeadLettered, status.Unfinished));
    }

    [Fact]
    public void Should_complete_a_run_an_operator_ended_once_its_accepted_items_are_settled_and_refuse_later_puts()
    {
        var producer = new ModelClient("producer-0");
        _q.Do(s => s.RegisterProducer(producer, new RegisterProducer("p-0")))
            .Do(s => s.Put(producer, new Put("p-0", 1, [_q.Item("01")])))
            .Do(s => s.JoinRun(_joiner))
            .Do(s => s.Get(_consumer, new Get(1)));
        Assert.Single(_q.SingleDelivery(_consumer).Items);

        _q.Do(s => s.EndRun(_operator, new EndRun("the operator's page (from 10.0.0.7)")));

        Assert.Equal(new RunEndAck(ProducersEnded: 1, Unfinished: 1, AlreadyOver: false), Assert.Single(_q.Take<RunEndAck>(_operator)));
        Assert.Contains(_q.Log.Events, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning
            && e.Message.Contains("at the request of the operator's page (from 10.0.0.7)", StringComparison.Ordinal));
        Assert.Empty(_q.Take<RunCompleted>(_joiner)); // its accepted item is still in flight
        _q.Do(s => s.Put(producer, new Put("p-0", 2, [_q.Item("02")])));
        Assert.Equal(PutRejection.RunEnded, Assert.Single(_q.Take<PutRejected>(producer)).Reason);

        // Journaled: a coordinator that restarts now still knows the run was ended, and still completes it.
        _q.Recover();
        _q.Do(s => s.JoinRun(_joiner)).Do(s => s.Get(_consumer, new Get(1)));
        Assert.Empty(_q.Take<RunCompleted>(_joiner));
        _q.Do(s => s.TaskDone(_consumer, new TaskDone([_q.SingleDelivery(_consumer).Items[0].DeliveryId])));

        var completed = Assert.Single(_q.Take<RunCompleted>(_joiner)).Status;
        Assert.Equal((1L, 1L, 1, true), (completed.Accepted, completed.Completed, completed.ProducersDone, completed.EndedByOperator));
        _q.Do(s => s.EndRun(_operator, new EndRun("again")));
        Assert.True(Assert.Single(_q.Take<RunEndAck>(_operator)).AlreadyOver);
    }

    private static (long Accepted, long Completed, long DeadLettered, long Discarded) Counts(QueueStatus s) =>
        (s.Accepted, s.Completed, s.DeadLettered, s.Discarded);
}
