using ActorPipeline.Coordinator;
using Akka.Actor;
using Akka.Hosting;
using Akka.Persistence;
using Akka.Persistence.Hosting;
using Akka.TestKit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Tests.CoordinatorShell;

/// <summary>
/// A coordinator the spec starts itself, so that it can stop it and start it again on the same journal:
/// as far as the queue is concerned that is a crash, since only what was journaled survives it.
/// The journal is the in-memory one unless a subclass configures another; it outlives the actor, not the actor system.
/// </summary>
public abstract class RestartableCoordinatorSpecBase(ITestOutputHelper output) : Akka.Hosting.TestKit.TestKit(output: output)
{
    private QueueOptions _options = new();
    private int _expectedProducers;
    private int _incarnations;
    private (TestProbe Producer, Put Put)? _lastPut;

    private protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The coordinator now running; a restart replaces it.</summary>
    private protected IActorRef Queue { get; private set; } = ActorRefs.Nobody;

    // The production serializer, as the host binds it: snapshots (and, with a SQL store, events) go through it.
    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider) =>
        builder.WithQueueSerializer().WithInMemoryJournal().WithInMemorySnapshotStore();

    private protected static QueueItem Item(string hex) => new(Convert.FromHexString(hex), DateTime.UtcNow);

    private protected static Put Put(string producerId, long sequenceNr, params string[] hex) =>
        new(producerId, sequenceNr, [.. hex.Select(Item)]);

    /// <summary>Starts the first incarnation; restarts keep its options.</summary>
    private protected void StartCoordinator(QueueOptions? options = null, int expectedProducers = 0)
    {
        _options = options ?? new QueueOptions();
        _expectedProducers = expectedProducers;
        Start();
    }

    /// <summary>
    /// Waits until everything the coordinator applied is stored (so the spec knows exactly what survives),
    /// stops it, waits for it to be gone and starts a new one with the same props, which recovers from the journal.
    /// </summary>
    private protected async Task RestartAsync(QueueOptions? options = null)
    {
        await AllStoredAsync();
        _options = options ?? _options;
        var watcher = CreateTestProbe();
        await watcher.WatchAsync(Queue);
        Sys.Stop(Queue);
        await watcher.ExpectTerminatedAsync(Queue, cancellationToken: Ct);
        Start();
    }

    /// <summary>Puts and waits for the acceptance, which comes only once the put is journaled.</summary>
    private protected async Task PutAsync(TestProbe producer, Put put)
    {
        Queue.Tell(put, producer.Ref);
        var accepted = await producer.ExpectMsgAsync<PutAccepted>(cancellationToken: Ct);
        Assert.Equal((put.ProducerId, put.SequenceNr), (accepted.ProducerId, accepted.SequenceNr));
        _lastPut = (producer, put);
    }

    /// <summary>
    /// A durability barrier: the last put is sent again, and a resend is answered only once every event applied
    /// before it is stored. Needed after commands with no reply (get, task_done, task_failed) before a crash.
    /// </summary>
    private protected async Task AllStoredAsync()
    {
        if (_lastPut is not { } last)
        {
            return; // nothing was put, and whatever else was said had a reply that waited for storage
        }

        var (producer, put) = last;
        Queue.Tell(put, producer.Ref);
        Assert.Equal(put.SequenceNr, (await producer.ExpectMsgAsync<PutAccepted>(cancellationToken: Ct)).SequenceNr);
    }

    /// <summary>asyncio's <c>get_nowait</c> for up to <paramref name="credits"/> items; an empty queue fails the spec.</summary>
    private protected async Task<IReadOnlyList<DeliveredItem>> GetNowAsync(TestProbe consumer, int credits)
    {
        Queue.Tell(new Get(credits, Wait: false), consumer.Ref);
        return (await consumer.ExpectMsgAsync<Delivery>(cancellationToken: Ct)).Items;
    }

    /// <summary>
    /// Takes everything queued with <c>get_nowait</c> until the queue answers <see cref="QueueEmpty"/>, marking
    /// each delivery done, and returns the items in the order they came.
    /// </summary>
    private protected async Task<List<string>> DrainAsync(TestProbe consumer, int credits = 10)
    {
        var drained = new List<string>();
        for (var round = 0; round < 100; round++)
        {
            Queue.Tell(new Get(credits, Wait: false), consumer.Ref);
            var reply = await consumer.ExpectMsgAsync<IQueueMessage>(cancellationToken: Ct);
            if (reply is not Delivery delivery)
            {
                Assert.IsType<QueueEmpty>(reply);
                return drained;
            }

            drained.AddRange(delivery.Items.Select(d => d.Item.Hex));
            Queue.Tell(new TaskDone([.. delivery.Items.Select(d => d.DeliveryId)]), consumer.Ref);
        }

        Assert.Fail($"The queue did not run empty; drained {drained.Count} items.");
        return drained;
    }

    private protected async Task<QueueStatus> StatusAsync() =>
        await Queue.Ask<QueueStatus>(GetStatus.Instance, RemainingOrDefault, Ct);

    private protected async Task<IReadOnlyList<DeadLetteredItem>> DeadLettersAsync() =>
        (await Queue.Ask<DeadLetters>(GetDeadLetters.Instance, RemainingOrDefault, Ct)).Items;

    private protected async Task<T> AskAsync<T>(object message) => await Queue.Ask<T>(message, RemainingOrDefault, Ct);

    private void Start()
    {
        _options.ExpectedProducers = _expectedProducers;
        Queue = Sys.ActorOf(
            CoordinatorActor.Props(_options, Host.Services.GetRequiredService<ILogger<CoordinatorActor>>()),
            $"coordinator-{++_incarnations}");
    }
}

/// <summary>What survives a crash of the coordinator, recovered from the in-memory journal and snapshot store.</summary>
public sealed class CoordinatorRecoverySpecs(ITestOutputHelper output) : RestartableCoordinatorSpecBase(output)
{
    [Fact]
    public async Task Should_recover_exactly_from_snapshots_taken_while_writes_were_still_pending()
    {
        StartCoordinator(new QueueOptions { SnapshotEvery = 3 });
        var producer = CreateTestProbe();
        var consumer = CreateTestProbe();

        // Puts, gets and task_dones sent without waiting keep the journal busy while snapshots fall due.
        for (var i = 1; i <= 40; i++)
        {
            Queue.Tell(Put("p", i, $"{i:x2}", $"{i + 100:x2}"), producer.Ref);
        }

        for (var i = 1; i <= 40; i++)
        {
            await producer.ExpectMsgAsync<PutAccepted>(cancellationToken: Ct);
        }

        var delivered = await GetNowAsync(consumer, 50);
        Queue.Tell(new TaskDone([.. delivered.Take(30).Select(d => d.DeliveryId)]), consumer.Ref);
        await PutAsync(producer, Put("p", 41, "ff"));
        var before = await StatusAsync();

        await RestartAsync();

        var after = await StatusAsync();
        Assert.Equal((81L, 30L, 51), (before.Accepted, before.Completed, before.Unfinished));
        Assert.Equal((before.Accepted, before.Completed, before.Unfinished), (after.Accepted, after.Completed, after.Unfinished));
        Assert.Equal(51, (await DrainAsync(consumer)).Count); // each unfinished item once, none applied twice
    }

    private const int IncarnationShift = 40; // delivery ids of incarnation n start at n << 40

    [Fact]
    public async Task Should_offer_accepted_items_again_after_a_restart_in_the_order_they_were_accepted()
    {
        StartCoordinator();
        var first = CreateTestProbe();
        var second = CreateTestProbe();
        var consumer = CreateTestProbe();
        await PutAsync(first, Put("p1", 1, "01"));
        await PutAsync(second, Put("p2", 1, "02", "03"));
        await PutAsync(first, Put("p1", 2, "04"));

        await RestartAsync();

        var status = await StatusAsync();
        Assert.Equal((4, 0, 4L), (status.Size, status.InFlight, status.Accepted));
        Assert.Equal(["01", "02", "03", "04"], (await GetNowAsync(consumer, 10)).Select(d => d.Item.Hex));
    }

    [Fact]
    public async Task Should_offer_a_delivered_but_unfinished_item_again_and_count_a_late_ack_of_its_old_delivery_once()
    {
        StartCoordinator();
        var producer = CreateTestProbe();
        var before = CreateTestProbe();
        var after = CreateTestProbe();
        await PutAsync(producer, Put("p", 1, "0a", "0b"));
        var old = Assert.Single(await GetNowAsync(before, 1));

        await RestartAsync();

        var status = await StatusAsync();
        Assert.Equal((2, 0), (status.Size, status.InFlight)); // whoever held it is presumed gone
        var again = Assert.Single(await GetNowAsync(after, 1));
        Assert.Equal(("0a", true), (again.Item.Hex, again.DeliveryId != old.DeliveryId));

        Queue.Tell(new TaskDone(old.DeliveryId), before.Ref); // the consumer from before the crash finishes after all
        status = await StatusAsync();
        Assert.Equal((1L, 0L, 1, 0), (status.Completed, status.DuplicateAcks, status.Size, status.InFlight));

        Queue.Tell(new TaskDone(again.DeliveryId), after.Ref); // the copy handed out since is done too: counted, not completed again
        status = await StatusAsync();
        Assert.Equal((1L, 1L, 1, 0), (status.Completed, status.DuplicateAcks, status.Size, status.InFlight));
        Assert.Equal(["0b"], (await GetNowAsync(after, 5)).Select(d => d.Item.Hex));
        await before.ExpectNothingMoreFromAsync(Queue); // its late ack was not refused
    }

    [Fact]
    public async Task Should_complete_an_item_by_a_late_ack_of_its_pre_restart_delivery_and_not_offer_it_again()
    {
        StartCoordinator();
        var producer = CreateTestProbe();
        var before = CreateTestProbe();
        var after = CreateTestProbe();
        await PutAsync(producer, Put("p", 1, "0a", "0b"));
        var old = Assert.Single(await GetNowAsync(before, 1));

        await RestartAsync();
        Queue.Tell(new TaskDone(old.DeliveryId), before.Ref);

        Assert.Equal(["0b"], (await GetNowAsync(after, 5)).Select(d => d.Item.Hex));
        var status = await StatusAsync();
        Assert.Equal((1L, 0L, 1), (status.Completed, status.DuplicateAcks, status.Unfinished));
    }

    [Fact]
    public async Task Should_keep_completed_items_completed_and_not_offer_them_again()
    {
        StartCoordinator();
        var producer = CreateTestProbe();
        var consumer = CreateTestProbe();
        await PutAsync(producer, Put("p", 1, "01", "02", "03"));
        var delivered = await GetNowAsync(consumer, 2);
        Queue.Tell(new TaskDone(delivered[0].DeliveryId), consumer.Ref);

        await RestartAsync();

        var status = await StatusAsync();
        Assert.Equal((3L, 1L, 2, 0), (status.Accepted, status.Completed, status.Size, status.InFlight));
        Assert.Equal(["02", "03"], (await GetNowAsync(consumer, 10)).Select(d => d.Item.Hex));

        Queue.Tell(new TaskDone(delivered[0].DeliveryId), consumer.Ref); // a repeat of the ack from before the crash
        status = await StatusAsync();
        Assert.Equal((1L, 1L), (status.Completed, status.DuplicateAcks));
        await consumer.ExpectNothingMoreFromAsync(Queue); // a duplicate, not a task_done that was never made
    }

    [Fact]
    public async Task Should_keep_dead_letters_with_their_error_and_requeue_them_durably()
    {
        StartCoordinator();
        var producer = CreateTestProbe();
        var consumer = CreateTestProbe();
        await PutAsync(producer, Put("p", 1, "01", "02"));
        var failing = Assert.Single(await GetNowAsync(consumer, 1));
        Queue.Tell(new TaskFailed(failing.DeliveryId, 3, "InvalidOperationException: boom"), consumer.Ref);

        await RestartAsync();

        var dead = Assert.Single(await DeadLettersAsync());
        Assert.Equal(
            ("01", failing.DeliveryId, 3, "InvalidOperationException: boom"),
            (dead.Item.Hex, dead.DeliveryId, dead.Attempts, dead.Error));
        var status = await StatusAsync();
        Assert.Equal((1L, 0L, 1, 2L), (status.DeadLettered, status.Completed, status.Size, status.Accepted));

        Assert.Equal(1, (await AskAsync<DeadLettersRequeuedAck>(new RequeueDeadLetters([]))).Count);
        await RestartAsync();

        Assert.Empty(await DeadLettersAsync());
        var requeued = await StatusAsync();
        Assert.Equal((0L, 2), (requeued.DeadLettered, requeued.Size));
        Assert.Equal(["01", "02"], (await GetNowAsync(consumer, 10)).Select(d => d.Item.Hex).Order());
    }

    [Fact]
    public async Task Should_acknowledge_a_put_resent_after_a_restart_without_a_second_copy_and_resume_the_producer()
    {
        StartCoordinator();
        var producer = CreateTestProbe();
        var consumer = CreateTestProbe();
        Queue.Tell(new RegisterProducer("p"), producer.Ref);
        Assert.Equal(0, (await producer.ExpectMsgAsync<ProducerRegistered>(cancellationToken: Ct)).LastAcceptedSequenceNr);
        await PutAsync(producer, Put("p", 1, "01"));
        await PutAsync(producer, Put("p", 2, "02", "03"));

        await RestartAsync();

        Queue.Tell(Put("p", 2, "02", "03"), producer.Ref); // its acknowledgement was lost in the crash, say
        var acknowledged = await producer.ExpectMsgAsync<PutAccepted>(cancellationToken: Ct);
        Assert.Equal((2L, 2), (acknowledged.SequenceNr, acknowledged.Count));
        var status = await StatusAsync();
        Assert.Equal((3L, 3, 1), (status.Accepted, status.Size, status.ProducersRegistered));

        Queue.Tell(new RegisterProducer("p"), producer.Ref); // a producer restarted under the same id resumes after its last put
        Assert.Equal(new ProducerRegistered("p", 2, 3), await producer.ExpectMsgAsync<ProducerRegistered>(cancellationToken: Ct));
        await PutAsync(producer, Put("p", 3, "04"));

        Assert.Equal(["01", "02", "03", "04"], (await GetNowAsync(consumer, 10)).Select(d => d.Item.Hex));
        Assert.Equal(4, (await StatusAsync()).Accepted);
    }

    [Fact]
    public async Task Should_count_a_producer_that_was_done_before_the_restart_for_join_run()
    {
        StartCoordinator(expectedProducers: 2);
        var early = CreateTestProbe();
        var late = CreateTestProbe();
        var consumer = CreateTestProbe();
        var joiner = CreateTestProbe();
        Queue.Tell(new RegisterProducer("early"), early.Ref);
        Queue.Tell(new RegisterProducer("late"), late.Ref);
        await early.ExpectMsgAsync<ProducerRegistered>(cancellationToken: Ct);
        await late.ExpectMsgAsync<ProducerRegistered>(cancellationToken: Ct);
        await PutAsync(early, Put("early", 1, "01"));
        Queue.Tell(new ProducerDone("early", 1), early.Ref);
        await early.ExpectMsgAsync<ProducerDoneAck>(cancellationToken: Ct);

        await RestartAsync();

        Queue.Tell(JoinRun.Instance, joiner.Ref);
        Queue.Tell(new TaskDone(Assert.Single(await GetNowAsync(consumer, 1)).DeliveryId), consumer.Ref);
        Queue.Tell(new ProducerDone("late", 0), late.Ref);
        await late.ExpectMsgAsync<ProducerDoneAck>(cancellationToken: Ct);

        var completed = await joiner.ExpectMsgAsync<RunCompleted>(cancellationToken: Ct);
        Assert.Equal((2, 0, 2, 1L), (completed.Status.ProducersDone, completed.Status.ProducersLost, completed.Status.ProducersRegistered, completed.Status.Completed));
    }

    [Fact]
    public async Task Should_start_a_new_run_on_a_restart_after_the_run_finished_and_keep_the_requeued_items()
    {
        StartCoordinator(expectedProducers: 1);
        var producer = CreateTestProbe();
        var consumer = CreateTestProbe();
        var joiner = CreateTestProbe();
        Queue.Tell(new RegisterProducer("p"), producer.Ref);
        await producer.ExpectMsgAsync<ProducerRegistered>(cancellationToken: Ct);
        await PutAsync(producer, Put("p", 1, "01", "02"));
        Queue.Tell(new ProducerDone("p", 1), producer.Ref);
        await producer.ExpectMsgAsync<ProducerDoneAck>(cancellationToken: Ct);
        var delivered = await GetNowAsync(consumer, 2);
        Queue.Tell(new TaskDone(delivered[0].DeliveryId), consumer.Ref);
        Queue.Tell(new TaskFailed(delivered[1].DeliveryId, 3, "boom"), consumer.Ref);
        Queue.Tell(JoinRun.Instance, joiner.Ref);
        var finished = (await joiner.ExpectMsgAsync<RunCompleted>(cancellationToken: Ct)).Status;
        Assert.Equal((2L, 1L, 1L, 1), (finished.Accepted, finished.Completed, finished.DeadLettered, finished.ProducersDone));
        Assert.Equal(1, (await AskAsync<DeadLettersRequeuedAck>(new RequeueDeadLetters([]))).Count); // an operator retries it

        await RestartAsync();

        var status = await StatusAsync();
        Assert.Equal((1L, 0L, 0L, 0L), (status.Accepted, status.Completed, status.DeadLettered, status.Dropped));
        Assert.Equal((0, 0, 0), (status.ProducersRegistered, status.ProducersDone, status.ProducersLost));
        Assert.Equal((1, 0, false), (status.Size, status.InFlight, status.IsShutDown));

        Queue.Tell(JoinRun.Instance, joiner.Ref);
        await joiner.ExpectNothingMoreFromAsync(Queue); // the new run waits for its own producer
        Assert.Equal(["02"], (await GetNowAsync(consumer, 5)).Select(d => d.Item.Hex));
    }

    [Fact]
    public async Task Should_recover_the_same_status_from_snapshots_and_the_events_after_them()
    {
        StartCoordinator(new QueueOptions { SnapshotEvery = 5 }, expectedProducers: 2);
        var producers = new[] { CreateTestProbe(), CreateTestProbe() };
        var consumer = CreateTestProbe();
        for (var p = 0; p < 2; p++)
        {
            Queue.Tell(new RegisterProducer($"p{p}"), producers[p].Ref);
            await producers[p].ExpectMsgAsync<ProducerRegistered>(cancellationToken: Ct);
        }

        for (var i = 0; i < 14; i++)
        {
            await PutAsync(producers[i % 2], Put($"p{i % 2}", (i / 2) + 1, $"{i:x2}"));
        }

        // One command at a time, each stored before the next, so snapshots fall at fixed points (every 5th event).
        var inFlight = await GetNowAsync(consumer, 2); // still held at the crash
        await AllStoredAsync();
        var failing = Assert.Single(await GetNowAsync(consumer, 1));
        await AllStoredAsync();
        Queue.Tell(new TaskFailed(failing.DeliveryId, 2, "gave up"), consumer.Ref);
        await AllStoredAsync();
        for (var i = 0; i < 8; i++)
        {
            var item = Assert.Single(await GetNowAsync(consumer, 1));
            await AllStoredAsync();
            Queue.Tell(new TaskDone(item.DeliveryId), consumer.Ref);
            await AllStoredAsync();
        }

        Queue.Tell(new ProducerDone("p0", 7), producers[0].Ref);
        await producers[0].ExpectMsgAsync<ProducerDoneAck>(cancellationToken: Ct);

        var before = await StatusAsync();
        Assert.Equal((14L, 8L, 1L, 3, 2), (before.Accepted, before.Completed, before.DeadLettered, before.Size, before.InFlight));
        var (snapshot, highest) = await AwaitSnapshotAndTailAsync();
        Output?.WriteLine($"Latest snapshot at event {snapshot.Metadata.SequenceNr}, last event {highest}.");
        var saved = Assert.IsType<QueueEvents.CoordinatorSnapshot>(snapshot.Snapshot);
        var savedDeliveries = saved.Items.SelectMany(i => i.DeliveryIds).ToHashSet();
        Assert.All(inFlight, d => Assert.Contains(d.DeliveryId, savedDeliveries)); // held at the crash: in the snapshot, not only in later events
        Assert.Equal("gave up", Assert.Single(saved.DeadLetters).Error);

        await RestartAsync();

        var after = await StatusAsync();
        Assert.Equal(
            (before.Unfinished, 0, before.Accepted, before.Completed, before.DeadLettered, before.Dropped),
            (after.Size, after.InFlight, after.Accepted, after.Completed, after.DeadLettered, after.Dropped));
        Assert.Equal((before.ProducersRegistered, before.ProducersDone, 0), (after.ProducersRegistered, after.ProducersDone, after.ProducersLost));
        var dead = Assert.Single(await DeadLettersAsync());
        Assert.Equal((failing.Item.Hex, failing.DeliveryId, "gave up"), (dead.Item.Hex, dead.DeliveryId, dead.Error));

        // Their late acks still count, once.
        Queue.Tell(new TaskDone([.. inFlight.Select(d => d.DeliveryId)]), consumer.Ref);
        var acked = await StatusAsync();
        Assert.Equal((before.Completed + 2, before.Unfinished - 2, 0L), (acked.Completed, acked.Unfinished, acked.DuplicateAcks));
        Assert.Equal(["0b", "0c", "0d"], (await GetNowAsync(consumer, 10)).Select(d => d.Item.Hex));
    }

    [Fact]
    public async Task Should_hand_out_delivery_ids_of_the_new_incarnation_and_still_refuse_ids_never_made()
    {
        StartCoordinator();
        var producer = CreateTestProbe();
        var consumer = CreateTestProbe();
        await PutAsync(producer, Put("p", 1, "01"));
        var first = Assert.Single(await GetNowAsync(consumer, 1));

        await RestartAsync();
        var second = Assert.Single(await GetNowAsync(consumer, 1));
        await RestartAsync();
        var third = Assert.Single(await GetNowAsync(consumer, 1));

        Assert.Equal([1L, 2L, 3L], new[] { first, second, third }.Select(d => d.DeliveryId >> IncarnationShift));
        var never = (4L << IncarnationShift) + 1;
        Queue.Tell(new TaskDone([second.DeliveryId, first.DeliveryId, third.DeliveryId, never]), consumer.Ref);

        Assert.Equal(never, (await consumer.ExpectMsgAsync<TaskDoneRejected>(cancellationToken: Ct)).DeliveryId);
        var status = await StatusAsync();
        Assert.Equal((1L, 2L, 0), (status.Completed, status.DuplicateAcks, status.Unfinished));
    }

    [Fact]
    public async Task Should_keep_the_items_an_immediate_shutdown_dropped_dropped_after_a_restart()
    {
        StartCoordinator();
        var producer = CreateTestProbe();
        var consumer = CreateTestProbe();
        await PutAsync(producer, Put("p", 1, "01", "02", "03"));
        var held = Assert.Single(await GetNowAsync(consumer, 1));
        Assert.Equal(2, (await AskAsync<ShutdownAck>(new Shutdown(Immediate: true))).Dropped);
        Queue.Tell(new TaskDone(held.DeliveryId), consumer.Ref); // a delivered item still needs its task_done

        await RestartAsync();

        var status = await StatusAsync();
        Assert.Equal((0, 0, 2L, 1L, true), (status.Size, status.InFlight, status.Dropped, status.Completed, status.IsShutDown));
        Queue.Tell(new Get(1, Wait: false), consumer.Ref);
        await consumer.ExpectMsgAsync<QueueShutDown>(cancellationToken: Ct);
        await AskAsync<Joined>(Join.Instance);
    }

    /// <summary>
    /// Product bug: an item handed back after an immediate shutdown is dropped (Requeue counts it in Dropped)
    /// but the drop is not journaled, so recovery finds it delivered and unfinished and queues it again.
    /// </summary>
    [Fact]
    public async Task Should_keep_an_item_handed_back_after_an_immediate_shutdown_dropped_after_a_restart()
    {
        StartCoordinator();
        var producer = CreateTestProbe();
        var consumer = CreateTestProbe();
        await PutAsync(producer, Put("p", 1, "01", "02"));
        var held = Assert.Single(await GetNowAsync(consumer, 1));
        Assert.Equal(1, (await AskAsync<ShutdownAck>(new Shutdown(Immediate: true))).Dropped);
        Queue.Tell(new Release([held.DeliveryId]), consumer.Ref); // an immediate shutdown discards what comes back too
        var before = await StatusAsync();
        Assert.Equal((0, 2L), (before.Unfinished, before.Dropped));

        await RestartAsync();

        var after = await StatusAsync();
        Assert.Equal((0, 2L), (after.Unfinished, after.Dropped));
    }

    /// <summary>
    /// Product bug: a waiting put admitted in part before a crash (ItemsAccepted with PutComplete false) and
    /// resent after it is admitted again from its first item, because recovery keeps no record of the part that is in.
    /// </summary>
    [Fact]
    public async Task Should_not_admit_again_the_part_of_a_waiting_put_that_was_in_before_a_restart()
    {
        StartCoordinator(new QueueOptions { Capacity = 2 });
        var producer = CreateTestProbe();
        var consumer = CreateTestProbe();
        await PutAsync(producer, Put("p", 1, "01"));
        var waiting = Put("p", 2, "02", "03", "04");
        Queue.Tell(waiting, producer.Ref); // "02" fills the queue; "03" and "04" wait for room
        var parked = await StatusAsync();
        Assert.Equal((2L, 1), (parked.Accepted, parked.ParkedPuts));

        await RestartAsync();
        Queue.Tell(waiting, producer.Ref); // the producer resends what was never acknowledged

        var delivered = await DrainAsync(consumer);

        Assert.Equal(2, (await producer.ExpectMsgAsync<PutAccepted>(cancellationToken: Ct)).SequenceNr);
        Assert.Equal(["01", "02", "03", "04"], delivered);
        Assert.Equal(4, (await StatusAsync()).Accepted);
    }

    /// <summary>
    /// Waits until the latest snapshot has pruned the events it covers, and returns it and the
    /// journal's last one. Events before the snapshot are gone, so recovery cannot do without it; events after it
    /// must be replayed on top.
    /// </summary>
    private async Task<(SelectedSnapshot Snapshot, long Highest)> AwaitSnapshotAndTailAsync()
    {
        var persistence = Persistence.Instance.Apply(Sys);
        var probe = CreateTestProbe();
        (SelectedSnapshot, long) found = default;
        await AwaitAssertAsync(async () =>
        {
            persistence.SnapshotStoreFor(null).Tell(new LoadSnapshot(CoordinatorActor.QueuePersistenceId, SnapshotSelectionCriteria.Latest, long.MaxValue), probe.Ref);
            var snapshot = (await probe.ExpectMsgAsync<LoadSnapshotResult>(cancellationToken: Ct)).Snapshot;
            Assert.NotNull(snapshot);

            persistence.JournalFor(null).Tell(new ReplayMessages(0, long.MaxValue, long.MaxValue, CoordinatorActor.QueuePersistenceId, probe.Ref), probe.Ref);
            var replayed = new List<long>();
            long highest;
            while (true)
            {
                var message = await probe.ExpectMsgAsync<object>(cancellationToken: Ct);
                if (message is RecoverySuccess success)
                {
                    highest = success.HighestSequenceNr;
                    break;
                }

                replayed.Add(Assert.IsType<ReplayedMessage>(message).Persistent.SequenceNr);
            }

            Assert.True(snapshot.Metadata.SequenceNr >= 30, $"snapshot at {snapshot.Metadata.SequenceNr}");
            Assert.True(replayed.Count > 0 && replayed.Min() > snapshot.Metadata.SequenceNr, "the events the snapshot covers are deleted");
            Assert.True(highest > snapshot.Metadata.SequenceNr, "some events follow the snapshot");
            found = (snapshot, highest);
        }, cancellationToken: Ct);
        return found;
    }
}

/// <summary>Pipeline:Queue:Ephemeral: the same queue, journaling nothing, so a restarted coordinator starts empty.</summary>
public sealed class EphemeralCoordinatorSpecs(ITestOutputHelper output) : RestartableCoordinatorSpecBase(output)
{
    [Fact]
    public async Task Should_work_as_a_queue_and_keep_nothing_across_a_restart()
    {
        StartCoordinator(new QueueOptions { Ephemeral = true });
        var producer = CreateTestProbe();
        var consumer = CreateTestProbe();
        await PutAsync(producer, Put("p", 1, "01", "02"));
        await PutAsync(producer, Put("p", 2, "03"));

        var first = Assert.Single(await GetNowAsync(consumer, 1));
        Queue.Tell(new TaskDone(first.DeliveryId), consumer.Ref);
        Assert.Equal(["02", "03"], await DrainAsync(consumer));
        await Queue.Ask<Joined>(Join.Instance, RemainingOrDefault, Ct);
        Assert.Equal((3L, 3L), ((await StatusAsync()).Accepted, (await StatusAsync()).Completed));

        // One more item outstanding, then a crash: nothing was journaled, so nothing comes back.
        await PutAsync(producer, Put("p", 3, "04"));
        await RestartAsync();

        var status = await StatusAsync();
        Assert.Equal((0, 0L, 0L), (status.Size, status.Accepted, status.Completed));
        Assert.Empty(await DrainAsync(consumer));
    }

    [Fact]
    public async Task Should_not_recover_what_a_durable_run_left_in_the_journal()
    {
        StartCoordinator();
        await PutAsync(CreateTestProbe(), Put("p", 1, "01", "02"));

        await RestartAsync(new QueueOptions { Ephemeral = true });

        Assert.Equal((0, 0L), ((await StatusAsync()).Size, (await StatusAsync()).Accepted));
    }
}
