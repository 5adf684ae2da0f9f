using ActorPipeline.Coordinator;
using ActorPipeline.Producers;
using ActorPipeline.Tests.Fakes;
using Akka.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;
using static ActorPipeline.Producers.ProducerProtocol;

namespace ActorPipeline.Tests.Roles;

/// <summary>
/// A producer with batched puts, against a probe in the coordinator's place: what a fast source has
/// ready goes in one put, never more than the batch, one put in flight; a restart resumes after the
/// items (not the puts) the queue holds; a batch refused as too large is put again item by item.
/// </summary>
public sealed class BatchingProducerSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit.TestKit(output: output)
{
    private const string Id = "node/producer-0";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Should_put_what_a_fast_source_has_ready_in_batches_of_at_most_the_batch_size_one_put_at_a_time()
    {
        var coordinator = CreateTestProbe();
        var source = new CountingItemSource(itemsPerProducer: 25);
        Start(coordinator, source, batchSize: 10);
        await RegisterAsync(coordinator, last: 0, accepted: 0);

        var first = await coordinator.ExpectMsgAsync<Put>(cancellationToken: Ct);
        var producer = coordinator.Sender;
        await coordinator.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200), Ct); // one put in flight
        Assert.Equal((1L, 10), (first.SequenceNr, first.Items.Count));
        Assert.Equal(20, source.Taken); // the next batch is read while the first is on its way, and no more

        producer.Tell(new PutAccepted(Id, 1, 10), coordinator.Ref);
        var second = await coordinator.ExpectMsgAsync<Put>(cancellationToken: Ct);
        coordinator.Reply(new PutAccepted(Id, 2, 10));
        var third = await coordinator.ExpectMsgAsync<Put>(cancellationToken: Ct);
        coordinator.Reply(new PutAccepted(Id, 3, 5));

        Assert.Equal((2L, 10, 3L, 5), (second.SequenceNr, second.Items.Count, third.SequenceNr, third.Items.Count));
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"00{i:x2}"), new[] { first, second, third }.SelectMany(p => p.Items).Select(i => i.Hex));
        Assert.Equal(new ProducerDone(Id, 3), await coordinator.ExpectMsgAsync<ProducerDone>(cancellationToken: Ct));
    }

    [Fact]
    public async Task Should_resume_after_the_items_the_queue_holds_numbering_its_puts_after_the_last()
    {
        var coordinator = CreateTestProbe();
        Start(coordinator, new CountingItemSource(itemsPerProducer: 25), batchSize: 10);

        await RegisterAsync(coordinator, last: 4, accepted: 17); // four puts of an earlier incarnation held 17 items

        var put = await coordinator.ExpectMsgAsync<Put>(cancellationToken: Ct);
        Assert.Equal(5L, put.SequenceNr);
        Assert.Equal(Enumerable.Range(17, 8).Select(i => $"00{i:x2}"), put.Items.Select(i => i.Hex));
    }

    [Fact]
    public async Task Should_put_a_batch_refused_as_too_large_again_item_by_item_so_only_the_oversized_one_is_left_out()
    {
        var coordinator = CreateTestProbe();
        var parent = CreateTestProbe();
        Start(coordinator, new CountingItemSource(itemsPerProducer: 3, oversizedAt: 1, oversizedBytes: 100), batchSize: 10, parent);
        await RegisterAsync(coordinator, last: 0, accepted: 0);

        var batch = await coordinator.ExpectMsgAsync<Put>(cancellationToken: Ct);
        Assert.Equal(3, batch.Items.Count);
        coordinator.Reply(new PutRejected(Id, batch.SequenceNr, PutRejection.TooLarge, 0));

        for (var seq = 2L; seq <= 4; seq++)
        {
            var single = await coordinator.ExpectMsgAsync<Put>(cancellationToken: Ct);
            Assert.Equal((seq, 1), (single.SequenceNr, single.Items.Count));
            coordinator.Reply(single.Items[0].Payload.Length == 100
                ? new PutRejected(Id, seq, PutRejection.TooLarge, 0)
                : new PutAccepted(Id, seq, 1));
        }

        await coordinator.ExpectMsgAsync<ProducerDone>(cancellationToken: Ct);
        coordinator.Reply(new ProducerDoneAck(Id));
        var finished = await parent.ExpectMsgAsync<ProducerFinished>(cancellationToken: Ct);
        Assert.Equal((2L, 1L, true), (finished.Added, finished.Rejected, finished.Failed));
    }

    [Fact]
    public async Task Should_cut_a_batch_at_its_byte_budget_so_that_every_put_fits_the_frame()
    {
        // Items of 2 bytes count 66 each: a budget of 200 holds three. Item 4 alone is over the budget and still goes, alone.
        var coordinator = CreateTestProbe();
        Start(coordinator, new CountingItemSource(itemsPerProducer: 8, oversizedAt: 4, oversizedBytes: 300), batchSize: 10, maxPutBytes: 200);
        await RegisterAsync(coordinator, last: 0, accepted: 0);

        var sizes = new List<int>();
        for (var seq = 1L; sizes.Sum() < 8; seq++)
        {
            var put = await coordinator.ExpectMsgAsync<Put>(cancellationToken: Ct);
            Assert.True(put.Items.Count == 1 || put.Items.Sum(i => i.Payload.Length + ProducerOptions.PerItemPutBytes) <= 200, $"put {seq} holds {put.Items.Count} items over the budget");
            sizes.Add(put.Items.Count);
            coordinator.Reply(new PutAccepted(Id, seq, put.Items.Count));
        }

        Assert.Equal([3, 1, 1, 3], sizes);
    }

    [Fact]
    public async Task Should_take_back_a_put_waiting_for_room_when_stopped_and_stop_with_what_went_in()
    {
        var coordinator = CreateTestProbe();
        var parent = CreateTestProbe();
        Start(coordinator, new CountingItemSource(itemsPerProducer: 5), batchSize: 10, parent);
        await RegisterAsync(coordinator, last: 0, accepted: 0);
        var put = await coordinator.ExpectMsgAsync<Put>(cancellationToken: Ct);
        var producer = coordinator.Sender;

        producer.Tell(StopProducing.Instance, parent.Ref);

        Assert.Equal(new WithdrawPut(Id, put.SequenceNr), await coordinator.ExpectMsgAsync<WithdrawPut>(cancellationToken: Ct));
        producer.Tell(new PutRejected(Id, put.SequenceNr, PutRejection.Withdrawn, 2), coordinator.Ref);
        Assert.Equal(new ProducerStopped(Id, put.SequenceNr), await coordinator.ExpectMsgAsync<ProducerStopped>(cancellationToken: Ct));
        var finished = await parent.ExpectMsgAsync<ProducerFinished>(cancellationToken: Ct);
        Assert.Equal((2L, 0L, false, true), (finished.Added, finished.Rejected, finished.Failed, finished.StoppedEarly)); // taken back is not refused
    }

    private void Start(TestProbe coordinator, IPayloadSource source, int batchSize, TestProbe? parent = null, long? maxPutBytes = null)
    {
        var options = new ProducerOptions { BatchSize = batchSize, MaxPutBytes = maxPutBytes, ResendAfter = TimeSpan.FromMinutes(1), MaxResendBackoff = TimeSpan.FromMinutes(1) };
        var props = ProducerActor.Props(0, Id, source, coordinator.Ref, options, NullLogger<ProducerActor>.Instance, node: "node");
        if (parent is null)
        {
            Sys.ActorOf(props);
        }
        else
        {
            parent.ChildActorOf(props);
        }
    }

    private static async Task RegisterAsync(TestProbe coordinator, long last, long accepted)
    {
        Assert.Equal(Id, (await coordinator.ExpectMsgAsync<RegisterProducer>(cancellationToken: Ct)).ProducerId);
        coordinator.Reply(new ProducerRegistered(Id, last, accepted));
    }
}
