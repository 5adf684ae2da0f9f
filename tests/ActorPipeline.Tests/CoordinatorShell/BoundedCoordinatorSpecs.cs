using ActorPipeline.Coordinator;
using Akka.Actor;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Tests.CoordinatorShell;

/// <summary>Backpressure and shutdown on a queue of capacity 2 (asyncio's <c>Queue(maxsize=2)</c>).</summary>
public sealed class BoundedCoordinatorSpecs(ITestOutputHelper output) : CoordinatorSpecBase(capacity: 2, output)
{
    [Fact]
    public async Task Should_defer_the_put_acceptance_while_full_until_a_get_frees_room()
    {
        var producer = CreateTestProbe();
        var consumer = CreateTestProbe();
        await PutAsync(producer, "01");
        await PutAsync(producer, "02");
        Assert.True((await StatusAsync()).IsFull);

        Queue.Tell(PutOne(producer, "03"), producer.Ref);
        await producer.ExpectNothingMoreFromAsync(Queue);
        var parked = await StatusAsync();
        Assert.Equal((2, 1, 2L), (parked.Size, parked.ParkedPuts, parked.Accepted)); // waiting, not admitted over capacity

        Assert.Equal("01", (await GetAsync(consumer)).Item.Hex);
        Assert.Equal(3, (await producer.ExpectMsgAsync<PutAccepted>(cancellationToken: Ct)).SequenceNr);
        Assert.Equal(2, (await StatusAsync()).Size);
    }

    [Fact]
    public async Task Should_answer_put_nowait_on_a_full_queue_with_full_and_admit_nothing()
    {
        var producer = CreateTestProbe();
        await PutAsync(producer, "01");
        await PutAsync(producer, "02");

        Queue.Tell(PutOne(producer, "03", wait: false), producer.Ref);

        var rejected = await producer.ExpectMsgAsync<PutRejected>(cancellationToken: Ct);
        Assert.Equal(PutRejection.Full, rejected.Reason);
        Assert.Equal(0, rejected.Accepted);
        Assert.Equal(2, (await StatusAsync()).Accepted);
    }

    [Fact]
    public async Task Should_refuse_a_nowait_batch_that_does_not_fit_as_a_whole()
    {
        var producer = CreateTestProbe();
        Queue.Tell(new Put("p", 1, [Item("01"), Item("02"), Item("03")], Wait: false), producer.Ref);

        Assert.Equal(PutRejection.Full, (await producer.ExpectMsgAsync<PutRejected>(cancellationToken: Ct)).Reason);
        Assert.True((await StatusAsync()).IsEmpty);
    }

    [Fact]
    public async Task Should_admit_a_waiting_batch_as_room_frees_and_answer_when_its_last_item_is_in()
    {
        var producer = CreateTestProbe();
        var consumer = CreateTestProbe();
        Queue.Tell(new Put("p", 1, [Item("01"), Item("02"), Item("03")]), producer.Ref);
        await producer.ExpectNothingMoreFromAsync(Queue);
        Assert.Equal(2, (await StatusAsync()).Size);

        Assert.Equal("01", (await GetAsync(consumer)).Item.Hex);

        Assert.Equal(3, (await producer.ExpectMsgAsync<PutAccepted>(cancellationToken: Ct)).Count);
        Assert.Equal("02", (await GetAsync(consumer)).Item.Hex);
        Assert.Equal("03", (await GetAsync(consumer)).Item.Hex);
    }

    [Fact]
    public async Task Should_let_four_putters_through_a_queue_of_two_without_deadlock()
    {
        var putters = Enumerable.Range(0, 4).Select(_ => CreateTestProbe()).ToArray();
        var consumer = CreateTestProbe();
        for (var i = 0; i < putters.Length; i++)
        {
            Queue.Tell(PutOne(putters[i], $"0{i}"), putters[i].Ref);
        }

        var got = new List<string>();
        for (var i = 0; i < putters.Length; i++)
        {
            got.Add((await GetAsync(consumer)).Item.Hex);
        }

        Assert.Equal(["00", "01", "02", "03"], got); // parked putters are admitted in the order they came
        foreach (var putter in putters)
        {
            await putter.ExpectMsgAsync<PutAccepted>(cancellationToken: Ct);
        }
    }

    [Fact]
    public async Task Should_keep_what_a_cancelled_putter_had_admitted_and_nothing_it_had_not()
    {
        var filler = CreateTestProbe();
        var cancelled = CreateTestProbe();
        var consumer = CreateTestProbe();
        await PutAsync(filler, "01");
        Queue.Tell(new Put("cancelled", 1, [Item("02"), Item("03")]), cancelled.Ref); // "02" fits, "03" waits
        await AwaitAssertAsync(async () => Assert.Equal(1, (await StatusAsync()).ParkedPuts), cancellationToken: Ct);

        Sys.Stop(cancelled.Ref);
        await AwaitAssertAsync(async () => Assert.Equal(0, (await StatusAsync()).ParkedPuts), cancellationToken: Ct);

        Assert.Equal("01", (await GetAsync(consumer)).Item.Hex);
        Assert.Equal("02", (await GetAsync(consumer)).Item.Hex);
        Queue.Tell(new Get(1, Wait: false), consumer.Ref);
        await consumer.ExpectMsgAsync<QueueEmpty>(cancellationToken: Ct);
        Assert.Equal(2, (await StatusAsync()).Accepted);
    }

    [Fact]
    public async Task Should_shut_down_gracefully_refusing_puts_releasing_putters_and_draining_gets()
    {
        var producer = CreateTestProbe();
        var parked = CreateTestProbe();
        var consumer = CreateTestProbe();
        var joiner = CreateTestProbe();
        await PutAsync(producer, "01");
        await PutAsync(producer, "02");
        Queue.Tell(PutOne(parked, "03"), parked.Ref);

        Assert.Equal(0, (await Queue.Ask<ShutdownAck>(new Shutdown(Immediate: false), RemainingOrDefault, Ct)).Dropped);

        var released = await parked.ExpectMsgAsync<PutRejected>(cancellationToken: Ct);
        Assert.Equal((PutRejection.ShutDown, 0), (released.Reason, released.Accepted));
        Queue.Tell(PutOne(producer, "04"), producer.Ref);
        Assert.Equal(PutRejection.ShutDown, (await producer.ExpectMsgAsync<PutRejected>(cancellationToken: Ct)).Reason);

        var first = await GetAsync(consumer);
        var second = await GetAsync(consumer);
        Assert.Equal(["01", "02"], new[] { first.Item.Hex, second.Item.Hex });
        Queue.Tell(new Get(1), consumer.Ref);
        await consumer.ExpectMsgAsync<QueueShutDown>(cancellationToken: Ct);

        Queue.Tell(Join.Instance, joiner.Ref);
        Queue.Tell(new TaskDone([first.DeliveryId, second.DeliveryId]), consumer.Ref);
        await joiner.ExpectMsgAsync<Joined>(cancellationToken: Ct);
    }

    [Fact]
    public async Task Should_release_parked_getters_with_shut_down_once_the_queue_is_empty()
    {
        var consumer = CreateTestProbe();
        Queue.Tell(new Get(1), consumer.Ref);
        await AwaitAssertAsync(async () => Assert.Equal(1, (await StatusAsync()).WaitingGetters), cancellationToken: Ct);

        Queue.Tell(new Shutdown(Immediate: false), TestActor);

        await consumer.ExpectMsgAsync<QueueShutDown>(cancellationToken: Ct);
    }

    [Fact]
    public async Task Should_shut_down_immediately_dropping_queued_items_but_waiting_for_delivered_ones()
    {
        var producer = CreateTestProbe();
        var consumer = CreateTestProbe();
        var joiner = CreateTestProbe();
        await PutAsync(producer, "01");
        await PutAsync(producer, "02");
        var delivered = await GetAsync(consumer);

        Assert.Equal(1, (await Queue.Ask<ShutdownAck>(new Shutdown(Immediate: true), RemainingOrDefault, Ct)).Dropped);

        Queue.Tell(Join.Instance, joiner.Ref);
        await joiner.ExpectNothingMoreFromAsync(Queue); // the delivered item still needs its task_done
        Queue.Tell(new Get(1), consumer.Ref);
        await consumer.ExpectMsgAsync<QueueShutDown>(cancellationToken: Ct);

        Queue.Tell(new TaskDone(delivered.DeliveryId), consumer.Ref);
        await joiner.ExpectMsgAsync<Joined>(cancellationToken: Ct);
        var status = await StatusAsync();
        Assert.Equal((1L, 1L, 0), (status.Dropped, status.Completed, status.Unfinished));
    }
}
