using ActorPipeline.Coordinator;
using Akka.Actor;
using static ActorPipeline.Coordinator.QueueProtocol;

namespace ActorPipeline.Tests.Coordinator;

/// <summary>
/// The parts of the protocol that make it survive a network, through the actor: resends, producers and the
/// run's join. Ack timeouts and lost messages are specified on a fake clock in CoordinatorCore.DeliveryRepairSpecs.
/// </summary>
public sealed class DeliveryProtocolSpecs(ITestOutputHelper output)
    : CoordinatorSpecBase(capacity: 0, output, expectedProducers: 2)
{
    [Fact]
    public async Task Should_accept_a_resent_put_once_and_acknowledge_it_again()
    {
        var producer = CreateTestProbe();
        var put = new Put("p", 7, [Item("01"), Item("02")]);

        Queue.Tell(put, producer.Ref);
        Queue.Tell(put, producer.Ref); // its acknowledgement was lost, say

        Assert.Equal(7, (await producer.ExpectMsgAsync<PutAccepted>(cancellationToken: Ct)).SequenceNr);
        Assert.Equal(7, (await producer.ExpectMsgAsync<PutAccepted>(cancellationToken: Ct)).SequenceNr);
        var status = await StatusAsync();
        Assert.Equal((2L, 2), (status.Accepted, status.Size));
    }

    [Fact]
    public async Task Should_answer_join_run_only_when_every_expected_producer_is_done_and_nothing_is_unfinished()
    {
        var first = CreateTestProbe();
        var second = CreateTestProbe();
        var consumer = CreateTestProbe();
        var joiner = CreateTestProbe();
        Queue.Tell(new RegisterProducer("first"), first.Ref);
        Queue.Tell(new RegisterProducer("second"), second.Ref);
        await first.ExpectMsgAsync<ProducerRegistered>(cancellationToken: Ct);
        await second.ExpectMsgAsync<ProducerRegistered>(cancellationToken: Ct);
        Queue.Tell(JoinRun.Instance, joiner.Ref);

        Queue.Tell(new Put("first", 1, [Item("01")]), first.Ref);
        await first.ExpectMsgAsync<PutAccepted>(cancellationToken: Ct);
        Queue.Tell(new ProducerDone("first", 1), first.Ref);
        await first.ExpectMsgAsync<ProducerDoneAck>(cancellationToken: Ct);
        var delivered = await GetAsync(consumer);
        Queue.Tell(new TaskDone(delivered.DeliveryId), consumer.Ref);
        await joiner.ExpectNothingMoreFromAsync(Queue); // the queue is empty, but "second" is not done

        Queue.Tell(new ProducerDone("second", 0), second.Ref);

        var completed = await joiner.ExpectMsgAsync<RunCompleted>(cancellationToken: Ct);
        Assert.Equal((2, 0, 1L), (completed.Status.ProducersDone, completed.Status.ProducersLost, completed.Status.Completed));
    }

    [Fact]
    public async Task Should_count_a_producer_that_stops_before_it_is_done_as_lost_and_end_the_run()
    {
        var done = CreateTestProbe();
        var doomed = CreateTestProbe();
        var joiner = CreateTestProbe();
        Queue.Tell(new RegisterProducer("done"), done.Ref);
        Queue.Tell(new RegisterProducer("doomed"), doomed.Ref);
        Queue.Tell(new ProducerDone("done", 0), done.Ref);
        await done.ExpectMsgAsync<ProducerRegistered>(cancellationToken: Ct);
        await doomed.ExpectMsgAsync<ProducerRegistered>(cancellationToken: Ct);
        Queue.Tell(JoinRun.Instance, joiner.Ref);

        Sys.Stop(doomed.Ref);

        var completed = await joiner.ExpectMsgAsync<RunCompleted>(cancellationToken: Ct);
        Assert.Equal((1, 1), (completed.Status.ProducersDone, completed.Status.ProducersLost));
    }

    [Fact]
    public async Task Should_not_end_the_run_while_a_registered_producer_is_still_producing()
    {
        var lost = CreateTestProbe();
        var done = CreateTestProbe();
        var restarted = CreateTestProbe();
        var joiner = CreateTestProbe();
        foreach (var (id, probe) in new[] { ("a#1", lost), ("b#1", done), ("a#2", restarted) })
        {
            Queue.Tell(new RegisterProducer(id), probe.Ref);
            await probe.ExpectMsgAsync<ProducerRegistered>(cancellationToken: Ct);
        }

        Sys.Stop(lost.Ref);
        Queue.Tell(new ProducerDone("b#1", 0), done.Ref);
        await done.ExpectMsgAsync<ProducerDoneAck>(cancellationToken: Ct);
        Queue.Tell(JoinRun.Instance, joiner.Ref);

        await joiner.ExpectNothingMoreFromAsync(Queue); // one lost and one done make two, but "a#2" is still at work
        Queue.Tell(new ProducerDone("a#2", 0), restarted.Ref);
        await joiner.ExpectMsgAsync<RunCompleted>(cancellationToken: Ct);
    }
}
