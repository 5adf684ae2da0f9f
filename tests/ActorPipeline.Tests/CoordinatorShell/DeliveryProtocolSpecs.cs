using ActorPipeline.Coordinator;
using Akka.Actor;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Tests.CoordinatorShell;

/// <summary>
/// The parts of the protocol that make it survive a network, through the actor: resends, producers and the
/// run's join. Ack timeouts and lost messages are specified on a fake clock in CoordinatorRules.DeliveryRepairSpecs.
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
        var waiting = await StatusAsync();
        Assert.Equal((0, false), (waiting.Unfinished, waiting.IsRunComplete));

        Queue.Tell(new ProducerDone("second", 0), second.Ref);

        var completed = await joiner.ExpectMsgAsync<RunCompleted>(cancellationToken: Ct);
        Assert.Equal((2, 0, 1L), (completed.Status.ProducersDone, completed.Status.ProducersLost, completed.Status.Completed));
    }
}
