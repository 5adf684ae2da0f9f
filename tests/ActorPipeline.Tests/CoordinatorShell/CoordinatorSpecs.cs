using ActorPipeline.Coordinator;
using Akka.Actor;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Tests.CoordinatorShell;

/// <summary>CPython's test_queues.py behaviours on an unbounded queue, as messages.</summary>
public sealed class CoordinatorSpecs(ITestOutputHelper output) : CoordinatorSpecBase(capacity: 0, output)
{
    [Fact]
    public async Task Should_deliver_items_in_fifo_order()
    {
        var producer = CreateTestProbe();
        var consumer = CreateTestProbe();
        foreach (var hex in new[] { "01", "02", "03" })
        {
            await PutAsync(producer, hex);
        }

        Assert.Equal("01", (await GetAsync(consumer)).Item.Hex);
        Assert.Equal("02", (await GetAsync(consumer)).Item.Hex);
        Assert.Equal("03", (await GetAsync(consumer)).Item.Hex);
    }

    [Fact]
    public async Task Should_refuse_a_put_holding_an_item_over_the_size_limit_and_admit_none_of_it()
    {
        var producer = CreateTestProbe();
        var limit = new QueueOptions().MaxItemBytes;
        var atLimit = new QueueItem(new byte[limit], DateTime.UtcNow);
        var overLimit = new QueueItem(new byte[limit + 1], DateTime.UtcNow);

        Queue.Tell(new Put("p", 1, [atLimit, overLimit]), producer.Ref);

        var rejected = await producer.ExpectMsgAsync<PutRejected>(cancellationToken: Ct);
        Assert.Equal((PutRejection.TooLarge, 0), (rejected.Reason, rejected.Accepted));
        Assert.Equal((0, 0L), ((await StatusAsync()).Size, (await StatusAsync()).Accepted));

        // The producer goes on: an item at the limit is accepted.
        Queue.Tell(new Put("p", 2, [atLimit]), producer.Ref);
        await producer.ExpectMsgAsync<PutAccepted>(cancellationToken: Ct);
        Assert.Equal(limit, (await GetAsync(CreateTestProbe())).Item.Payload.Length);
    }

    [Fact]
    public async Task Should_park_a_get_until_an_item_arrives()
    {
        var producer = CreateTestProbe();
        var consumer = CreateTestProbe();
        Queue.Tell(new Get(1), consumer.Ref);
        await consumer.ExpectNothingMoreFromAsync(Queue);

        await PutAsync(producer, "aa");

        var delivery = await consumer.ExpectMsgAsync<Delivery>(cancellationToken: Ct);
        Assert.Equal("aa", Assert.Single(delivery.Items).Item.Hex);
    }

    [Fact]
    public async Task Should_serve_parked_getters_in_the_order_they_asked()
    {
        var producer = CreateTestProbe();
        var first = CreateTestProbe();
        var second = CreateTestProbe();
        Queue.Tell(new Get(1), first.Ref);
        Queue.Tell(new Get(1), second.Ref);

        await PutAsync(producer, "01");
        await PutAsync(producer, "02");

        Assert.Equal("01", Assert.Single((await first.ExpectMsgAsync<Delivery>(cancellationToken: Ct)).Items).Item.Hex);
        Assert.Equal("02", Assert.Single((await second.ExpectMsgAsync<Delivery>(cancellationToken: Ct)).Items).Item.Hex);
    }

    [Fact]
    public async Task Should_answer_get_nowait_on_an_empty_queue_with_queue_empty()
    {
        var consumer = CreateTestProbe();
        Queue.Tell(new Get(1, Wait: false), consumer.Ref);

        await consumer.ExpectMsgAsync<QueueEmpty>(cancellationToken: Ct);
        Assert.Equal(0, (await StatusAsync()).WaitingGetters); // a nowait get leaves no credit behind
    }

    [Fact]
    public async Task Should_take_what_is_there_with_get_nowait()
    {
        var producer = CreateTestProbe();
        var consumer = CreateTestProbe();
        await PutAsync(producer, "01");
        await PutAsync(producer, "02");

        Queue.Tell(new Get(5, Wait: false), consumer.Ref);

        var delivery = await consumer.ExpectMsgAsync<Delivery>(cancellationToken: Ct);
        Assert.Equal(["01", "02"], delivery.Items.Select(d => d.Item.Hex));
    }

    [Fact]
    public async Task Should_accept_a_batch_put_and_deliver_up_to_the_credit_window_per_message()
    {
        var producer = CreateTestProbe();
        var consumer = CreateTestProbe();
        Queue.Tell(new Put("p", 1, [Item("01"), Item("02"), Item("03"), Item("04"), Item("05")]), producer.Ref);
        Assert.Equal(5, (await producer.ExpectMsgAsync<PutAccepted>(cancellationToken: Ct)).Count);

        Queue.Tell(new Get(3), consumer.Ref);
        var first = await consumer.ExpectMsgAsync<Delivery>(cancellationToken: Ct);
        Queue.Tell(new Get(5), consumer.Ref);
        var second = await consumer.ExpectMsgAsync<Delivery>(cancellationToken: Ct);

        Assert.Equal(["01", "02", "03"], first.Items.Select(d => d.Item.Hex));
        Assert.Equal(["04", "05"], second.Items.Select(d => d.Item.Hex));

        // Three credits of the second get are still parked: a later item goes out without another get.
        await PutAsync(producer, "06");
        Assert.Equal("06", Assert.Single((await consumer.ExpectMsgAsync<Delivery>(cancellationToken: Ct)).Items).Item.Hex);
    }

    [Fact]
    public async Task Should_give_the_item_to_the_next_getter_when_a_parked_getter_stops()
    {
        var producer = CreateTestProbe();
        var cancelled = CreateTestProbe();
        var next = CreateTestProbe();
        Queue.Tell(new Get(1), cancelled.Ref);
        await AwaitAssertAsync(async () => Assert.Equal(1, (await StatusAsync()).WaitingGetters), cancellationToken: Ct);

        Sys.Stop(cancelled.Ref);
        await PutAsync(producer, "cc");

        Assert.Equal("cc", (await GetAsync(next)).Item.Hex);
        var status = await StatusAsync();
        Assert.Equal(1, status.Unfinished);
        Assert.Equal(1, status.Accepted);
    }

    [Fact]
    public async Task Should_withdraw_parked_credits_on_cancel_get_and_keep_the_item_queued()
    {
        var producer = CreateTestProbe();
        var consumer = CreateTestProbe();
        Queue.Tell(new Get(4), consumer.Ref);
        Queue.Tell(CancelGet.Instance, consumer.Ref);
        Assert.Equal(4, (await consumer.ExpectMsgAsync<GetCancelled>(cancellationToken: Ct)).Credits);

        await PutAsync(producer, "dd");

        await consumer.ExpectNothingMoreFromAsync(Queue);
        Assert.Equal(1, (await StatusAsync()).Size);
    }

    [Fact]
    public async Task Should_requeue_at_the_head_what_a_stopped_consumer_held()
    {
        var producer = CreateTestProbe();
        var lost = CreateTestProbe();
        var survivor = CreateTestProbe();
        foreach (var hex in new[] { "01", "02", "03" })
        {
            await PutAsync(producer, hex);
        }

        Queue.Tell(new Get(2), lost.Ref);
        Assert.Equal(2, (await lost.ExpectMsgAsync<Delivery>(cancellationToken: Ct)).Items.Count);
        Sys.Stop(lost.Ref);
        await AwaitAssertAsync(async () => Assert.Equal(3, (await StatusAsync()).Size), cancellationToken: Ct);

        Queue.Tell(new Get(3), survivor.Ref);
        var delivery = await survivor.ExpectMsgAsync<Delivery>(cancellationToken: Ct);

        Assert.Equal(["01", "02", "03"], delivery.Items.Select(d => d.Item.Hex));
        var status = await StatusAsync();
        Assert.Equal(2, status.Redelivered);
        Assert.Equal(3, status.Accepted); // re-queued, not counted twice
    }

    [Fact]
    public async Task Should_put_released_items_back_at_the_head_in_their_order()
    {
        var producer = CreateTestProbe();
        var consumer = CreateTestProbe();
        foreach (var hex in new[] { "01", "02", "03" })
        {
            await PutAsync(producer, hex);
        }

        Queue.Tell(new Get(2), consumer.Ref);
        var held = await consumer.ExpectMsgAsync<Delivery>(cancellationToken: Ct);
        Queue.Tell(new Release([.. held.Items.Select(d => d.DeliveryId)]), consumer.Ref);

        Queue.Tell(new Get(3), consumer.Ref);
        var again = await consumer.ExpectMsgAsync<Delivery>(cancellationToken: Ct);
        Assert.Equal(["01", "02", "03"], again.Items.Select(d => d.Item.Hex));
    }

    [Fact]
    public async Task Should_ignore_and_count_a_repeated_task_done_and_never_count_below_zero()
    {
        var producer = CreateTestProbe();
        var consumer = CreateTestProbe();
        await PutAsync(producer, "01");
        var delivered = await GetAsync(consumer);

        Queue.Tell(new TaskDone(delivered.DeliveryId), consumer.Ref);
        Queue.Tell(new TaskDone(delivered.DeliveryId), consumer.Ref);

        await consumer.ExpectNothingMoreFromAsync(Queue); // a duplicate is not an error on a network that repeats messages
        var status = await StatusAsync();
        Assert.Equal((1L, 1L, 0), (status.Completed, status.DuplicateAcks, status.Unfinished));
    }

    [Fact]
    public async Task Should_reject_task_done_for_a_delivery_never_made()
    {
        var consumer = CreateTestProbe();
        Queue.Tell(new TaskDone(42), consumer.Ref);

        Assert.Equal(42, (await consumer.ExpectMsgAsync<TaskDoneRejected>(cancellationToken: Ct)).DeliveryId);
        Assert.Equal(0, (await StatusAsync()).Completed);
    }

    [Fact]
    public async Task Should_join_only_after_the_last_task_done_of_100_items_worked_by_2_workers()
    {
        var producer = CreateTestProbe();
        var joiner = CreateTestProbe();
        var workers = new[] { CreateTestProbe(), CreateTestProbe() };
        var numbers = Enumerable.Range(0, 100).ToArray();
        Queue.Tell(new Put("p", 1, [.. numbers.Select(n => Item(n.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)))]), producer.Ref);
        await producer.ExpectMsgAsync<PutAccepted>(cancellationToken: Ct);
        Queue.Tell(Join.Instance, joiner.Ref);

        var sum = 0;
        for (var i = 0; i < numbers.Length; i++)
        {
            var worker = workers[i % 2];
            var delivered = await GetAsync(worker);
            sum += Convert.ToInt32(delivered.Item.Hex, 16);
            if (i == numbers.Length - 1)
            {
                await joiner.ExpectNothingMoreFromAsync(Queue); // 99 done, one outstanding: join must still wait
                Assert.Equal(1, (await StatusAsync()).Unfinished);
            }

            Queue.Tell(new TaskDone(delivered.DeliveryId), worker.Ref);
        }

        await joiner.ExpectMsgAsync<Joined>(cancellationToken: Ct);
        Assert.Equal(numbers.Sum(), sum);
        Assert.Equal(100, (await StatusAsync()).Completed);
    }

    [Fact]
    public async Task Should_answer_join_at_once_on_an_empty_queue_every_time()
    {
        var joiner = CreateTestProbe();
        Queue.Tell(Join.Instance, joiner.Ref);
        await joiner.ExpectMsgAsync<Joined>(cancellationToken: Ct);
        Queue.Tell(Join.Instance, joiner.Ref);
        await joiner.ExpectMsgAsync<Joined>(cancellationToken: Ct);
    }

    [Fact]
    public async Task Should_answer_every_joiner_when_the_work_is_done()
    {
        var producer = CreateTestProbe();
        var consumer = CreateTestProbe();
        var joiners = new[] { CreateTestProbe(), CreateTestProbe(), CreateTestProbe() };
        await PutAsync(producer, "01");
        foreach (var joiner in joiners)
        {
            Queue.Tell(Join.Instance, joiner.Ref);
        }

        var delivered = await GetAsync(consumer);
        Queue.Tell(new TaskDone(delivered.DeliveryId), consumer.Ref);

        foreach (var joiner in joiners)
        {
            await joiner.ExpectMsgAsync<Joined>(cancellationToken: Ct);
        }
    }

    [Fact]
    public async Task Should_report_qsize_empty_full_and_unfinished()
    {
        var producer = CreateTestProbe();
        var consumer = CreateTestProbe();
        var empty = await StatusAsync();
        Assert.True(empty.IsEmpty);
        Assert.False(empty.IsFull); // unbounded is never full

        await PutAsync(producer, "01");
        await PutAsync(producer, "02");
        await GetAsync(consumer);

        var status = await StatusAsync();
        Assert.Equal(1, status.Size);
        Assert.Equal(1, status.InFlight);
        Assert.Equal(2, status.Unfinished);
        Assert.False(status.IsEmpty);
    }

    [Fact]
    public async Task Should_dead_letter_a_failed_task_count_it_finished_and_list_it()
    {
        var producer = CreateTestProbe();
        var consumer = CreateTestProbe();
        var joiner = CreateTestProbe();
        await PutAsync(producer, "0bad");
        var delivered = await GetAsync(consumer);
        Queue.Tell(Join.Instance, joiner.Ref);

        Queue.Tell(new TaskFailed(delivered.DeliveryId, 3, "InvalidOperationException: boom"), consumer.Ref);

        await joiner.ExpectMsgAsync<Joined>(cancellationToken: Ct);
        var dead = await Queue.Ask<DeadLetters>(GetDeadLetters.Instance, RemainingOrDefault, Ct);
        var letter = Assert.Single(dead.Items);
        Assert.Equal("0bad", letter.Item.Hex);
        Assert.Equal(3, letter.Attempts);
        Assert.Contains("boom", letter.Error, StringComparison.Ordinal);
        var status = await StatusAsync();
        Assert.Equal(1, status.DeadLettered);
        Assert.Equal(0, status.Completed);
    }

    [Fact]
    public async Task Should_drop_unexpected_and_malformed_messages_and_keep_working()
    {
        var producer = CreateTestProbe();
        var consumer = CreateTestProbe();
        Queue.Tell("not a protocol message", producer.Ref);
        Queue.Tell(new Get(0), consumer.Ref);
        Queue.Tell(new Get(-5), consumer.Ref);

        await PutAsync(producer, "01");

        Assert.Equal("01", (await GetAsync(consumer)).Item.Hex);
        Assert.Equal(0, (await StatusAsync()).WaitingGetters);
    }

    [Fact]
    public async Task Should_acknowledge_a_resend_of_an_accepted_put_even_after_shutdown()
    {
        var producer = CreateTestProbe();
        var put = new Put("p", 1, [Item("01")]);
        Queue.Tell(put, producer.Ref);
        await producer.ExpectMsgAsync<PutAccepted>(cancellationToken: Ct);
        await Queue.Ask<ShutdownAck>(new Shutdown(Immediate: false), RemainingOrDefault, Ct);

        Queue.Tell(put, producer.Ref); // its first acknowledgement was lost, say

        await producer.ExpectMsgAsync<PutAccepted>(cancellationToken: Ct);
    }

    [Fact]
    public async Task Should_survive_credits_that_would_overflow()
    {
        var producer = CreateTestProbe();
        var consumer = CreateTestProbe();
        Queue.Tell(new Get(int.MaxValue), consumer.Ref);
        Queue.Tell(new Get(1), consumer.Ref);

        await PutAsync(producer, "01");
        await PutAsync(producer, "02");

        Assert.Equal(2, (await consumer.ExpectMsgAsync<Delivery>(cancellationToken: Ct)).Items.Count + (await consumer.ExpectMsgAsync<Delivery>(cancellationToken: Ct)).Items.Count);
        Assert.Equal(2L, (await StatusAsync()).Accepted);
    }

    [Fact]
    public async Task Should_keep_the_window_of_a_consumer_full_and_resending_it_grants_nothing_more()
    {
        var producer = CreateTestProbe();
        var consumer = CreateTestProbe();
        foreach (var hex in new[] { "01", "02", "03", "04" })
        {
            await PutAsync(producer, hex);
        }

        consumer.IgnoreMessages(m => m is DeliveredUpTo); // progress marks for a consumer that reports none; they grant nothing
        Queue.Tell(new RequestWork(2), consumer.Ref);
        Queue.Tell(new RequestWork(2), consumer.Ref);
        Queue.Tell(new RequestWork(2), consumer.Ref);

        var first = await consumer.ExpectMsgAsync<Delivery>(cancellationToken: Ct);
        Assert.Equal(["01", "02"], first.Items.Select(d => d.Item.Hex));
        await consumer.ExpectNothingMoreFromAsync(Queue);

        Queue.Tell(new TaskDone(first.Items[0].DeliveryId), consumer.Ref); // one place frees: one more item comes
        Assert.Equal("03", Assert.Single((await consumer.ExpectMsgAsync<Delivery>(cancellationToken: Ct)).Items).Item.Hex);
    }
}
