using Akka.Actor;
using Akka.Persistence;
using Microsoft.Extensions.Logging;
using static ActorPipeline.Coordinator.QueueEvents;
using static ActorPipeline.Coordinator.QueueProtocol;

namespace ActorPipeline.Coordinator;

/// <summary>
/// Owns the queue and the outstanding-work count with asyncio.Queue's semantics, made safe for a
/// network that loses, repeats and delays messages, and for crashes: resent puts are recognised by
/// (producer, sequence number), every delivery has an id, a delivery not done within the ack
/// timeout (or held by a consumer that stopped) is queued again, and an item is counted done once
/// however many of its deliveries are acknowledged.
/// <para>
/// State is event-sourced. A command's events are applied at once, so the next command sees them,
/// and journaled with PersistAsync, so the journal writes many commands' events in one batch
/// instead of one round trip each. Whatever promises durability (a put's acceptance, a producer's
/// registration or completion) is answered only once its event is stored. Deliveries go out at
/// once: their ids carry the incarnation, so an id handed out but never journaled before a crash is
/// never reused, and recovery queues again every item that was not completed.
/// </para>
/// </summary>
public sealed class CoordinatorActor : ReceivePersistentActor, IWithTimers
{
    /// <summary>The coordinator's persistence id: one queue per journal.</summary>
    public const string QueuePersistenceId = "actor-pipeline-coordinator";

    private const int IncarnationShift = 40; // 2^40 delivery ids per incarnation

    private readonly QueueOptions _options;
    private readonly int _expectedProducers;
    private readonly ILogger _log;
    private readonly bool _offline;
    private readonly PipelineMetrics? _metrics;
    private readonly Deque<long> _queue = new(); // item ids; an id whose item is no longer queued is skipped
    private readonly Dictionary<long, ItemState> _items = [];
    private readonly Dictionary<long, long> _deliveries = []; // every delivery id of an unfinished item -> item id
    private readonly Deque<(long DeliveryId, long Deadline)> _deadlines = new(); // in delivery order, so expiry is O(expired)
    private readonly Dictionary<IActorRef, ConsumerState> _consumers = [];
    private readonly Deque<ConsumerState> _waitingGetters = new();
    private readonly Deque<PendingPut> _parkedPuts = new();
    private readonly Dictionary<string, ProducerState> _producers = [];
    private readonly List<IActorRef> _joiners = [];
    private readonly HashSet<IActorRef> _runJoiners = [];
    private readonly List<DeadLetteredItem> _deadLetters = [];
    private long _runNumber = 1;
    private bool _runFinished;
    private long _incarnation;
    private long _lastItemId;
    private long _lastDeliveryId;
    private int _queued;
    private int _inFlight;
    private long _accepted;
    private long _completed;
    private long _dropped;
    private long _redelivered;
    private long _duplicateAcks;
    private int _producersDone;
    private int _producersLost;
    private bool _shutDown;
    private bool _shutDownImmediately;
    private int _pendingWrites;
    private long _eventsSinceSnapshot;
    private long _progressCompleted = -1;
    private long _progressAccepted = -1;
    private long _progressAt = Environment.TickCount64;

    /// <param name="options">The queue's settings.</param>
    /// <param name="expectedProducers">Producers the batch run waits for.</param>
    /// <param name="log">Where its events go.</param>
    /// <param name="metrics">Instruments to report to, if any.</param>
    /// <param name="offline">
    /// For operator commands run while the service is stopped (listing and requeueing dead letters):
    /// recover and answer, but start no incarnation or run and expire nothing.
    /// </param>
    public CoordinatorActor(QueueOptions options, int expectedProducers, ILogger<CoordinatorActor> log, PipelineMetrics? metrics = null, bool offline = false)
    {
        _metrics = metrics;
        _options = options;
        _expectedProducers = expectedProducers;
        _log = log;
        _offline = offline;

        Recover<SnapshotOffer>(offer => Restore((CoordinatorSnapshot)offer.Snapshot));
        Recover<ItemsAccepted>(ApplyAccepted);
        Recover<ItemsDelivered>(e => ApplyDelivered(e, holder: null));
        Recover<ItemsCompleted>(ApplyCompleted);
        Recover<ItemDeadLettered>(ApplyDeadLettered);
        Recover<DeadLettersRequeued>(ApplyDeadLettersRequeued);
        Recover<ProducerAnnounced>(ApplyProducerAnnounced);
        Recover<ProducerCompleted>(ApplyProducerCompleted);
        Recover<ProducerLost>(ApplyProducerLost);
        Recover<ShutdownRequested>(ApplyShutdown);
        Recover<IncarnationStarted>(ApplyIncarnation);
        Recover<RunFinished>(_ => _runFinished = true);
        Recover<RunStarted>(ApplyRunStarted);
        Recover<RecoveryCompleted>(_ => OnRecovered());

        Command<Put>(HandlePut);
        Command<RegisterProducer>(HandleRegisterProducer);
        Command<ProducerDone>(HandleProducerDone);
        Command<Get>(HandleGet);
        Command<RequestWork>(HandleRequestWork);
        Command<CancelGet>(HandleCancelGet);
        Command<TaskDone>(HandleTaskDone);
        Command<Release>(HandleRelease);
        Command<TaskFailed>(HandleTaskFailed);
        Command<Join>(HandleJoin);
        Command<JoinRun>(HandleJoinRun);
        Command<GetStatus>(HandleGetStatus);
        Command<GetDeadLetters>(HandleGetDeadLetters);
        Command<RequeueDeadLetters>(HandleRequeueDeadLetters);
        Command<Shutdown>(HandleShutdown);
        Command<ExpireDeliveries>(HandleExpireDeliveries);
        Command<ReportProgress>(HandleReportProgress);
        Command<Terminated>(HandleTerminated);
        Command<SaveSnapshotSuccess>(HandleSnapshotSaved);
        Command<SaveSnapshotFailure>(failure => _log.SnapshotFailed(failure.Cause));
        Command<DeleteMessagesSuccess>(_ => { });
        Command<DeleteSnapshotsSuccess>(_ => { });
    }

    public override string PersistenceId => QueuePersistenceId;

    // Ephemeral recovers nothing either, even over a journal a durable run left: what it holds is only what it was given since it started.
    public override Recovery Recovery => _options.Ephemeral ? Recovery.None : base.Recovery;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(QueueOptions options, int expectedProducers, ILogger<CoordinatorActor> log, PipelineMetrics? metrics = null, bool offline = false) =>
        Akka.Actor.Props.Create(() => new CoordinatorActor(options, expectedProducers, log, metrics, offline));

    private int Unfinished => _queued + _inFlight;

    private bool IsRunComplete =>
        _producersDone + _producersLost >= _expectedProducers
        && _producers.Values.All(p => !p.IsActive)
        && Unfinished == 0
        && _parkedPuts.Count == 0;

    /// <summary>Whether some incarnation of this coordinator may have handed out the id (incarnations start at 1).</summary>
    private bool CouldHaveBeenIssued(long deliveryId) => deliveryId >> IncarnationShift >= 1 && deliveryId <= _lastDeliveryId;

    private int Room => _options.Capacity == 0 ? int.MaxValue : Math.Max(0, _options.Capacity - _queued);

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        // The actor stops; as a singleton it is started again and recovers from what was stored.
        _log.PersistFailed(@event.GetType().Name, cause);
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void Unhandled(object message)
    {
        _log.UnexpectedMessage(message.GetType().Name, Sender.Path.ToString());
        base.Unhandled(message);
    }

    // ---- recovery ----------------------------------------------------------------------------

    private void OnRecovered()
    {
        // Whoever held a delivery before the restart is gone: every unfinished item is queued again,
        // oldest first, and its old delivery ids stay known so a late acknowledgement still counts once.
        _queue.Clear();
        _queued = 0;
        _inFlight = 0;
        foreach (var item in _items.Values.OrderBy(i => i.Id).ToList())
        {
            if (!item.IsQueued)
            {
                (item.Superseded ??= []).Add(item.CurrentDelivery);
                item.CurrentDelivery = 0;
                item.Holder = null;
            }

            _queued++;
            if (_shutDownImmediately)
            {
                // After an immediate shutdown whatever comes back is discarded, as it would have been live;
                // the rule is applied again on every recovery, so it needs no event of its own.
                Finish(item);
                _dropped++;
                continue;
            }

            _queue.PushBack(item.Id);
        }
        if (_offline)
        {
            return;
        }

        var now = Environment.TickCount64;
        foreach (var producer in _producers.Values.Where(p => p.IsActive))
        {
            producer.SilentSince = now; // it must be heard from again, or it counts as lost
        }

        if (_runFinished)
        {
            Record(new RunStarted(_runNumber + 1), ApplyRunStarted);
        }

        Record(new IncarnationStarted(_incarnation + 1), ApplyIncarnation);
        if (_items.Count > 0 || _producers.Count > 0)
        {
            _log.Recovered(_runNumber, _items.Count, _producers.Count, _deadLetters.Count);
        }

        // Expiry is checked a few times per timeout, but at least every second and at most every 10 ms.
        var interval = TimeSpan.FromTicks(Math.Clamp(_options.AckTimeout.Ticks / 4, TimeSpan.TicksPerMillisecond * 10, TimeSpan.TicksPerSecond));
        Timers.StartPeriodicTimer(nameof(ExpireDeliveries), ExpireDeliveries.Instance, interval);
        if (_options.ProgressInterval > TimeSpan.Zero)
        {
            Timers.StartPeriodicTimer(nameof(ReportProgress), ReportProgress.Instance, _options.ProgressInterval);
        }
    }

    private void Restore(CoordinatorSnapshot snapshot)
    {
        _runNumber = snapshot.RunNumber;
        _runFinished = snapshot.RunFinished;
        _incarnation = snapshot.Incarnation;
        _lastItemId = snapshot.LastItemId;
        _lastDeliveryId = snapshot.LastDeliveryId;
        _accepted = snapshot.Accepted;
        _completed = snapshot.Completed;
        _dropped = snapshot.Dropped;
        _shutDown = snapshot.ShutDown;
        _shutDownImmediately = snapshot.ShutDownImmediately;
        foreach (var saved in snapshot.Items)
        {
            var item = new ItemState(saved.Id, saved.Item) { Superseded = saved.DeliveryIds.Count == 0 ? null : [.. saved.DeliveryIds] };
            _items.Add(saved.Id, item);
            foreach (var deliveryId in saved.DeliveryIds)
            {
                _deliveries[deliveryId] = saved.Id;
            }
        }

        foreach (var saved in snapshot.Producers)
        {
            var producer = ProducerFor(saved.Id);
            producer.HighestAccepted = saved.HighestAccepted;
            producer.Accepted = saved.Accepted;
            producer.IsAnnounced = saved.Announced;
            producer.IsDone = saved.Done;
            producer.IsLost = saved.Lost;
        }

        _producersDone = _producers.Values.Count(p => p.IsDone);
        _producersLost = _producers.Values.Count(p => p.IsLost);
        _deadLetters.AddRange(snapshot.DeadLetters);
        _queued = _items.Count;
    }

    private CoordinatorSnapshot Snapshot() => new(
        _runNumber, _runFinished, _incarnation, _lastItemId, _lastDeliveryId, _accepted, _completed, _dropped,
        _shutDown, _shutDownImmediately,
        [.. _items.Values.OrderBy(i => i.Id).Select(i => new SnapshotItem(i.Id, i.Item, DeliveryIdsOf(i)))],
        [.. _producers.Values.Select(p => new SnapshotProducer(p.Id, p.HighestAccepted, p.Accepted, p.IsAnnounced, p.IsDone, p.IsLost))],
        [.. _deadLetters]);

    private static List<long> DeliveryIdsOf(ItemState item)
    {
        var ids = new List<long>(item.Superseded ?? []);
        if (!item.IsQueued)
        {
            ids.Add(item.CurrentDelivery);
        }

        return ids;
    }

    // ---- journaling --------------------------------------------------------------------------

    /// <summary>Applies an event now and journals it; <paramref name="afterStored"/> runs once it is stored (at once when ephemeral).</summary>
    private void Record<TEvent>(TEvent @event, Action<TEvent> apply, Action? afterStored = null)
        where TEvent : IQueueEvent
    {
        apply(@event);
        if (_options.Ephemeral)
        {
            afterStored?.Invoke();
            return;
        }

        _pendingWrites++;
        PersistAsync(@event, _ =>
        {
            _pendingWrites--;
            _eventsSinceSnapshot++;
            afterStored?.Invoke();
            SnapshotIfDue();
        });
    }

    /// <summary>Runs <paramref name="effect"/> once every event applied so far is stored.</summary>
    private void AfterStored(Action effect)
    {
        if (_pendingWrites == 0)
        {
            effect();
        }
        else
        {
            DeferAsync(effect, _ => effect());
        }
    }

    // A snapshot must show exactly the stored events, so it is taken only when none is still being written;
    // and it has no place for a put admitted in part, so not while one is.
    private void SnapshotIfDue()
    {
        if (_pendingWrites == 0 && _eventsSinceSnapshot >= _options.SnapshotEvery && _producers.Values.All(p => p.PartialAdmitted == 0))
        {
            _eventsSinceSnapshot = 0;
            SaveSnapshot(Snapshot());
        }
    }

    private void HandleSnapshotSaved(SaveSnapshotSuccess saved)
    {
        // Older snapshots and the events the new one covers are no longer needed for recovery.
        DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1));
        DeleteMessages(saved.Metadata.SequenceNr);
    }

    // ---- producers ---------------------------------------------------------------------------

    private void HandlePut(Put put)
    {
        var producer = Heard(put.ProducerId);
        if (put.SequenceNr <= producer.HighestAccepted)
        {
            // A resend whose acknowledgement was lost (even if the queue shut down since): answered again once its acceptance is stored.
            var putter = Sender;
            AfterStored(() => putter.Tell(new PutAccepted(put.ProducerId, put.SequenceNr, put.Items.Count)));
            return;
        }

        if (_shutDown)
        {
            Sender.Tell(new PutRejected(put.ProducerId, put.SequenceNr, PutRejection.ShutDown, 0));
            return;
        }

        if (IsParked(put))
        {
            return; // a resend of a put still waiting for room: it is answered when it is in
        }

        if (OversizedItem(put) is { } oversized)
        {
            // Refused whole before anything is admitted, so the producer knows exactly what is in.
            _log.ItemTooLarge(put.ProducerId, put.SequenceNr, oversized, _options.MaxItemBytes);
            Sender.Tell(new PutRejected(put.ProducerId, put.SequenceNr, PutRejection.TooLarge, 0));
            return;
        }

        // Part of this put may be in already (it waited for room before a restart): continue after it.
        var already = producer.PartialSequenceNr == put.SequenceNr ? producer.PartialAdmitted : 0;
        if (!put.Wait)
        {
            if (put.Items.Count - already > Room)
            {
                Sender.Tell(new PutRejected(put.ProducerId, put.SequenceNr, PutRejection.Full, already));
                return;
            }

            Admit(Sender, put, already, put.Items.Count - already);
            Dispatch();
            return;
        }

        // Earlier parked putters go first, as asyncio wakes putters in FIFO order.
        var admitted = already + (_parkedPuts.Count == 0 ? Admit(Sender, put, already, Math.Min(Room, put.Items.Count - already)) : 0);
        if (admitted < put.Items.Count)
        {
            // The reply is deferred until room frees: this is await put()'s backpressure.
            _parkedPuts.PushBack(new PendingPut(Sender, put, admitted));
        }

        Dispatch();
    }

    /// <summary>The size of the first item over <see cref="QueueOptions.MaxItemBytes"/>, if any.</summary>
    private int? OversizedItem(Put put)
    {
        foreach (var item in put.Items)
        {
            if (item.Payload.Length > _options.MaxItemBytes)
            {
                return item.Payload.Length;
            }
        }

        return null;
    }

    private void HandleRegisterProducer(RegisterProducer register)
    {
        var producer = Heard(register.ProducerId);
        var registrant = Sender;
        void Reply() => registrant.Tell(new ProducerRegistered(register.ProducerId, producer.HighestAccepted == long.MinValue ? 0 : producer.HighestAccepted));
        if (producer.IsAnnounced)
        {
            AfterStored(Reply);
        }
        else
        {
            Record(new ProducerAnnounced(register.ProducerId), ApplyProducerAnnounced, Reply);
        }
    }

    private void HandleProducerDone(ProducerDone done)
    {
        var producer = Heard(done.ProducerId);
        var sender = Sender;
        void Reply() => sender.Tell(new ProducerDoneAck(done.ProducerId));
        if (producer.IsDone)
        {
            AfterStored(Reply);
            return;
        }

        Record(new ProducerCompleted(done.ProducerId), ApplyProducerCompleted, Reply);
        _log.ProducerDone(done.ProducerId, producer.Accepted);
        AnswerJoinersIfDone();
    }

    // ---- consumers ---------------------------------------------------------------------------

    private void HandleGet(Get get)
    {
        if (get.Credits <= 0)
        {
            _log.NonPositiveCredits(get.Credits, Sender.Path.ToString());
            return;
        }

        var consumer = ConsumerFor(Sender);
        if (!get.Wait)
        {
            if (_queued == 0)
            {
                Sender.Tell(_shutDown ? QueueShutDown.Instance : QueueEmpty.Instance);
                return;
            }

            Deliver(consumer, Math.Min(get.Credits, _queued));
            Dispatch();
            return;
        }

        if (_shutDown && _queued == 0)
        {
            Sender.Tell(QueueShutDown.Instance);
            return;
        }

        consumer.Credits = (int)Math.Min(int.MaxValue, (long)consumer.Credits + get.Credits);
        JoinWaitingLine(consumer);
        Dispatch();
    }

    private void HandleRequestWork(RequestWork request)
    {
        if (request.Window < 0)
        {
            _log.NonPositiveCredits(request.Window, Sender.Path.ToString());
            return;
        }

        var consumer = ConsumerFor(Sender);
        consumer.Window = request.Window;
        if (_shutDown && Unfinished == 0)
        {
            Sender.Tell(QueueShutDown.Instance);
            return;
        }

        JoinWaitingLine(consumer);
        Dispatch();
    }

    private void HandleCancelGet(CancelGet _)
    {
        var credits = 0;
        if (_consumers.TryGetValue(Sender, out var consumer))
        {
            credits = consumer.Credits;
            consumer.Credits = 0; // it leaves the waiting line lazily, when Dispatch reaches it
        }

        Sender.Tell(new GetCancelled(credits));
    }

    private void HandleTaskDone(TaskDone done)
    {
        List<long>? completed = null;
        foreach (var id in done.DeliveryIds)
        {
            if (_deliveries.TryGetValue(id, out var itemId) && !(completed?.Contains(itemId) ?? false))
            {
                (completed ??= []).Add(itemId);
            }
            else if (CouldHaveBeenIssued(id))
            {
                _duplicateAcks++; // its item was completed through this or another delivery already
                _metrics?.DuplicateAcks.Add(1);
            }
            else
            {
                // asyncio raises ValueError for a task_done without a get; nothing is counted.
                Sender.Tell(new TaskDoneRejected(id, $"task_done() for delivery {id}, which was never made."));
            }
        }

        if (completed is not null)
        {
            Record(new ItemsCompleted(completed), ApplyCompleted);
            _metrics?.Completed.Add(completed.Count);
        }

        Dispatch();
        AnswerJoinersIfDone();
    }

    private void HandleRelease(Release release)
    {
        // Walk backwards so the released items keep their order at the head of the queue.
        for (var i = release.DeliveryIds.Count - 1; i >= 0; i--)
        {
            var id = release.DeliveryIds[i];
            if (_deliveries.TryGetValue(id, out var itemId) && _items[itemId].CurrentDelivery == id)
            {
                Requeue(_items[itemId]);
            }
            else
            {
                _log.UnknownRelease(id, Sender.Path.ToString());
            }
        }

        Dispatch();
        AnswerJoinersIfDone();
    }

    private void HandleTaskFailed(TaskFailed failed)
    {
        // Only the current delivery may dead-letter its item: a failure reported for a delivery that
        // timed out meanwhile must not overrule the consumer that holds the item now.
        if (!_deliveries.TryGetValue(failed.DeliveryId, out var itemId) || _items[itemId].CurrentDelivery != failed.DeliveryId)
        {
            if (CouldHaveBeenIssued(failed.DeliveryId))
            {
                _duplicateAcks++;
                _metrics?.DuplicateAcks.Add(1);
            }
            else
            {
                Sender.Tell(new TaskDoneRejected(failed.DeliveryId, $"Delivery {failed.DeliveryId} was never made; it cannot be dead-lettered."));
            }

            return;
        }

        var item = _items[itemId];
        Record(new ItemDeadLettered(itemId, failed.DeliveryId, failed.Attempts, failed.Error), ApplyDeadLettered);
        _metrics?.DeadLettered.Add(1);
        _log.DeadLettered(item.Item.Hex, failed.DeliveryId, failed.Attempts, failed.Error);
        Dispatch();
        AnswerJoinersIfDone();
    }

    // ---- the runner and operators ------------------------------------------------------------

    private void HandleJoin(Join _)
    {
        if (Unfinished == 0)
        {
            Sender.Tell(Joined.Instance);
        }
        else
        {
            _joiners.Add(Sender);
        }
    }

    private void HandleJoinRun(JoinRun _)
    {
        if (IsRunComplete)
        {
            FinishRun();
            Sender.Tell(new RunCompleted(Status()));
        }
        else if (_runJoiners.Add(Sender))
        {
            Context.Watch(Sender);
        }
    }

    private void HandleGetStatus(GetStatus _) => Sender.Tell(Status());

    private void HandleGetDeadLetters(GetDeadLetters _) => Sender.Tell(new DeadLetters([.. _deadLetters]));

    private void HandleRequeueDeadLetters(RequeueDeadLetters requeue)
    {
        var ids = requeue.ItemIds.Count == 0
            ? _deadLetters.Select(d => d.ItemId).ToList()
            : requeue.ItemIds.Where(id => _deadLetters.Any(d => d.ItemId == id)).Distinct().ToList();
        var requester = Sender;
        Record(new DeadLettersRequeued(ids), ApplyDeadLettersRequeued, () => requester.Tell(new DeadLettersRequeuedAck(ids.Count)));
        Dispatch();
    }

    private void HandleShutdown(Shutdown shutdown)
    {
        var queuedBefore = _queued;
        var requester = Sender;
        Record(new ShutdownRequested(shutdown.Immediate), ApplyShutdown);
        var dropped = queuedBefore - _queued;

        while (_parkedPuts.Count > 0)
        {
            var parked = _parkedPuts.PopFront();
            parked.Putter.Tell(new PutRejected(parked.Put.ProducerId, parked.Put.SequenceNr, PutRejection.ShutDown, parked.Admitted));
        }

        _log.ShutDown(shutdown.Immediate ? "immediate" : "graceful", dropped, _queued, _inFlight);
        AfterStored(() => requester.Tell(new ShutdownAck(dropped)));
        Dispatch();
        AnswerJoinersIfDone();
    }

    private void HandleExpireDeliveries(ExpireDeliveries _)
    {
        var now = Environment.TickCount64;
        var expired = 0;
        while (_deadlines.Count > 0 && _deadlines.PeekFront().Deadline <= now)
        {
            var (deliveryId, _) = _deadlines.PopFront();
            if (_deliveries.TryGetValue(deliveryId, out var itemId) && _items[itemId].CurrentDelivery == deliveryId)
            {
                Requeue(_items[itemId]);
                expired++;
            }
        }

        if (expired > 0)
        {
            _log.DeliveriesExpired(expired, _options.AckTimeout);
        }

        ReportGauges();

        // Producers known only from the journal that never came back after a restart are lost.
        var silenceLimit = (long)_options.ProducerTimeout.TotalMilliseconds;
        foreach (var producer in _producers.Values.Where(p => p.IsActive && p.SilentSince is { } since && now - since >= silenceLimit).ToList())
        {
            _log.ProducerLost(producer.Id, producer.Accepted);
            Record(new ProducerLost(producer.Id), ApplyProducerLost);
        }

        Dispatch();
        AnswerJoinersIfDone();
    }

    /// <summary>A progress event: how far the run is, how fast it goes, when it may end. Silent when nothing changed.</summary>
    private void HandleReportProgress(ReportProgress _)
    {
        if (_completed + _deadLetters.Count == _progressCompleted && _accepted == _progressAccepted)
        {
            return;
        }

        var now = Environment.TickCount64;
        var finished = _completed + _deadLetters.Count;
        var rate = _progressCompleted < 0 ? 0 : (finished - _progressCompleted) * 1000.0 / Math.Max(1, now - _progressAt);
        var eta = rate > 0 ? TimeSpan.FromSeconds(Math.Round(Unfinished / rate)) : (TimeSpan?)null;
        var producing = _producers.Values.Count(p => p.IsActive) + Math.Max(0, _expectedProducers - _producersDone - _producersLost - _producers.Values.Count(p => p.IsActive));
        _log.Progress(
            finished, _accepted, Math.Round(rate, 1), Unfinished, Math.Round(OldestWaitingAge().TotalSeconds, 1),
            producing, eta is { } known && producing == 0 ? known.ToString() : "unknown");
        (_progressCompleted, _progressAccepted, _progressAt) = (finished, _accepted, now);
    }

    private TimeSpan OldestWaitingAge() => OldestWaiting() is { } putAt ? DateTime.UtcNow - putAt : TimeSpan.Zero;

    private DateTime? OldestWaiting()
    {
        // Ids at the head that are no longer queued would be skipped by the next delivery anyway.
        while (_queue.Count > 0 && !(_items.TryGetValue(_queue.PeekFront(), out var head) && head.IsQueued))
        {
            _queue.PopFront();
        }

        return _queue.Count > 0 ? _items[_queue.PeekFront()].Item.PutAt : null;
    }

    private void ReportGauges() =>
        _metrics?.ReportQueue(_queued, Unfinished, OldestWaiting(), _consumers.Count, _producers.Values.Count(p => p.IsActive));

    private void HandleTerminated(Terminated terminated)
    {
        var gone = terminated.ActorRef;
        _parkedPuts.RemoveAll(p => p.Putter.Equals(gone)); // what a cancelled putter had admitted stays accepted
        _runJoiners.Remove(gone);

        foreach (var producer in _producers.Values.Where(p => gone.Equals(p.Ref) && p.IsActive).ToList())
        {
            _log.ProducerLost(producer.Id, producer.Accepted);
            Record(new ProducerLost(producer.Id), ApplyProducerLost);
        }

        if (_consumers.Remove(gone, out var consumer))
        {
            consumer.Credits = 0;
            consumer.Window = 0;
            if (consumer.InFlight.Count > 0)
            {
                // A stopped consumer costs time, never items: what it held goes back to the head, oldest first.
                var ids = consumer.InFlight.Order().ToArray();
                for (var i = ids.Length - 1; i >= 0; i--)
                {
                    Requeue(_items[_deliveries[ids[i]]]);
                }

                _log.ConsumerLostItems(gone.Path.ToString(), ids.Length);
            }
        }

        Dispatch();
        AnswerJoinersIfDone();
    }

    // ---- event application (live and in recovery) --------------------------------------------

    private void ApplyAccepted(ItemsAccepted e)
    {
        for (var i = 0; i < e.Items.Count; i++)
        {
            var id = e.FirstItemId + i;
            _items.Add(id, new ItemState(id, e.Items[i]));
            _queue.PushBack(id);
        }

        _queued += e.Items.Count;
        _accepted += e.Items.Count;
        _lastItemId = Math.Max(_lastItemId, e.FirstItemId + e.Items.Count - 1);
        var producer = ProducerFor(e.ProducerId);
        producer.Accepted += e.Items.Count;
        if (e.PutComplete)
        {
            producer.HighestAccepted = Math.Max(producer.HighestAccepted, e.SequenceNr);
            producer.PartialAdmitted = 0;
            producer.PartialSequenceNr = long.MinValue;
        }
        else
        {
            if (producer.PartialSequenceNr != e.SequenceNr)
            {
                producer.PartialSequenceNr = e.SequenceNr;
                producer.PartialAdmitted = 0;
            }

            producer.PartialAdmitted += e.Items.Count;
        }
    }

    private void ApplyDelivered(ItemsDelivered e, ConsumerState? holder)
    {
        for (var i = 0; i < e.ItemIds.Count; i++)
        {
            var deliveryId = e.FirstDeliveryId + i;
            if (!_items.TryGetValue(e.ItemIds[i], out var item))
            {
                continue;
            }

            if (item.IsQueued)
            {
                _queued--;
                _inFlight++;
            }
            else
            {
                // In recovery: it was handed back or timed out (not journaled) and delivered again.
                (item.Superseded ??= []).Add(item.CurrentDelivery);
            }

            item.CurrentDelivery = deliveryId;
            item.Holder = holder;
            _deliveries[deliveryId] = item.Id;
            holder?.InFlight.Add(deliveryId);
        }

        _lastDeliveryId = Math.Max(_lastDeliveryId, e.FirstDeliveryId + e.ItemIds.Count - 1);
    }

    private void ApplyCompleted(ItemsCompleted e)
    {
        foreach (var id in e.ItemIds)
        {
            if (_items.TryGetValue(id, out var item))
            {
                Finish(item);
                _completed++;
            }
        }
    }

    private void ApplyDeadLettered(ItemDeadLettered e)
    {
        if (_items.TryGetValue(e.ItemId, out var item))
        {
            Finish(item);
            _deadLetters.Add(new DeadLetteredItem(e.ItemId, e.DeliveryId, item.Item, e.Attempts, e.Error));
        }
    }

    private void ApplyDeadLettersRequeued(DeadLettersRequeued e)
    {
        foreach (var id in e.ItemIds)
        {
            var index = _deadLetters.FindIndex(d => d.ItemId == id);
            if (index < 0)
            {
                continue;
            }

            var dead = _deadLetters[index];
            _deadLetters.RemoveAt(index);
            _items.Add(id, new ItemState(id, dead.Item));
            _queue.PushBack(id);
            _queued++;
            _accepted++;
        }
    }

    private void ApplyProducerAnnounced(ProducerAnnounced e) => ProducerFor(e.ProducerId).IsAnnounced = true;

    private void ApplyProducerCompleted(ProducerCompleted e)
    {
        var producer = ProducerFor(e.ProducerId);
        if (producer.IsDone)
        {
            return;
        }

        producer.IsDone = true;
        _producersDone++;
        if (producer.IsLost)
        {
            producer.IsLost = false;
            _producersLost--;
        }
    }

    private void ApplyProducerLost(ProducerLost e)
    {
        var producer = ProducerFor(e.ProducerId);
        if (!producer.IsDone && !producer.IsLost)
        {
            producer.IsLost = true;
            _producersLost++;
        }
    }

    private void ApplyShutdown(ShutdownRequested e)
    {
        _shutDown = true;
        if (!e.Immediate)
        {
            return;
        }

        _shutDownImmediately = true;
        foreach (var item in _items.Values.Where(i => i.IsQueued).ToList())
        {
            Finish(item);
            _dropped++;
        }
    }

    private void ApplyIncarnation(IncarnationStarted e)
    {
        _incarnation = e.Incarnation;
        _lastDeliveryId = Math.Max(_lastDeliveryId, e.Incarnation << IncarnationShift);
    }

    private void ApplyRunStarted(RunStarted e)
    {
        // A new batch run: producers and counts start afresh; requeued dead letters already queued stay.
        _runNumber = e.RunNumber;
        _runFinished = false;
        _producers.Clear();
        _producersDone = 0;
        _producersLost = 0;
        _accepted = _items.Count;
        _completed = 0;
        _dropped = 0;
        _redelivered = 0;
        _duplicateAcks = 0;
        _shutDown = false;
        _shutDownImmediately = false;
    }

    // ---- the queue ---------------------------------------------------------------------------

    private QueueStatus Status() => new(
        _queued, _inFlight, _options.Capacity, _shutDown,
        _accepted, _completed, _deadLetters.Count, _dropped, _redelivered,
        _parkedPuts.Count, _consumers.Values.Count(c => c.Available > 0), _duplicateAcks, _consumers.Count,
        _expectedProducers,
        _producers.Values.Count(p => p.IsAnnounced),
        _producersDone,
        _producersLost);

    private ProducerState ProducerFor(string producerId)
    {
        if (!_producers.TryGetValue(producerId, out var producer))
        {
            producer = new ProducerState(producerId);
            _producers.Add(producerId, producer);
        }

        return producer;
    }

    /// <summary>The producer that sent the current message: from now on it is watched, so its loss is noticed.</summary>
    private ProducerState Heard(string producerId)
    {
        var producer = ProducerFor(producerId);
        producer.SilentSince = null;
        if (!Sender.Equals(producer.Ref) && !Sender.IsNobody())
        {
            producer.Ref = Sender;
            Context.Watch(Sender);
        }

        return producer;
    }

    private ConsumerState ConsumerFor(IActorRef consumer)
    {
        if (!_consumers.TryGetValue(consumer, out var state))
        {
            state = new ConsumerState(consumer);
            _consumers.Add(consumer, state);
            Context.Watch(consumer);
        }

        return state;
    }

    private bool IsParked(Put put) =>
        _parkedPuts.Any(p => p.Put.ProducerId == put.ProducerId && p.Put.SequenceNr == put.SequenceNr);

    /// <summary>Admits part of a put; the putter hears of it once the part that completes the put is stored.</summary>
    private int Admit(IActorRef putter, Put put, int from, int count)
    {
        var complete = from + count == put.Items.Count;
        if (count == 0 && !complete)
        {
            return 0;
        }

        var items = from == 0 && complete ? put.Items : put.Items.Skip(from).Take(count).ToArray();
        var accepted = new ItemsAccepted(put.ProducerId, put.SequenceNr, _lastItemId + 1, items, complete);
        _metrics?.Accepted.Add(count);
        Record(accepted, ApplyAccepted, complete ? () => putter.Tell(new PutAccepted(put.ProducerId, put.SequenceNr, put.Items.Count)) : null);
        return count;
    }

    private void JoinWaitingLine(ConsumerState consumer)
    {
        if (!consumer.IsWaiting && consumer.Available > 0)
        {
            consumer.IsWaiting = true;
            _waitingGetters.PushBack(consumer);
        }
    }

    /// <summary>Takes a finished (completed, dead-lettered or dropped) item out of every structure that knows it.</summary>
    private void Finish(ItemState item)
    {
        _items.Remove(item.Id);
        if (item.IsQueued)
        {
            _queued--; // its id stays in the deque and is skipped there
        }
        else
        {
            _inFlight--;
            _deliveries.Remove(item.CurrentDelivery);
            if (item.Holder is { } holder)
            {
                holder.InFlight.Remove(item.CurrentDelivery);
                JoinWaitingLine(holder); // a windowed consumer may take another item now
            }
        }

        if (item.Superseded is { } superseded)
        {
            foreach (var id in superseded)
            {
                _deliveries.Remove(id);
            }
        }
    }

    /// <summary>Puts a delivered item back at the head of the queue; its delivery stays known, so a late ack still counts once.</summary>
    private void Requeue(ItemState item)
    {
        var holder = item.Holder!;
        holder.InFlight.Remove(item.CurrentDelivery);
        (item.Superseded ??= []).Add(item.CurrentDelivery);
        item.CurrentDelivery = 0;
        item.Holder = null;
        _inFlight--;
        _queued++;
        JoinWaitingLine(holder);

        if (_shutDownImmediately)
        {
            Finish(item); // an immediate shutdown discards whatever comes back too
            _dropped++;
            return;
        }

        _queue.PushFront(item.Id);
        _redelivered++;
        _metrics?.Redelivered.Add(1);
    }

    /// <summary>
    /// Hands queued items to waiting getters in the order they asked (round robin across their
    /// credits), then lets parked putters fill the room that freed, until neither can move.
    /// </summary>
    private void Dispatch()
    {
        do
        {
            while (_queued > 0 && _waitingGetters.Count > 0)
            {
                var consumer = _waitingGetters.PopFront();
                if (consumer.Available == 0 || !_consumers.ContainsKey(consumer.Ref))
                {
                    consumer.IsWaiting = false;
                    continue;
                }

                Deliver(consumer, Math.Min(consumer.Available, Math.Min(_queued, _options.MaxDeliveryBatch)));
                if (consumer.Available > 0)
                {
                    _waitingGetters.PushBack(consumer);
                }
                else
                {
                    consumer.IsWaiting = false;
                }
            }
        }
        while (AdmitParkedPuts() > 0);

        if (_shutDown && _queued == 0)
        {
            ReleaseWaitingGetters();
        }
    }

    /// <summary>
    /// After a shutdown, asyncio-style getters are told as soon as nothing is queued; consumer actors
    /// (windows) only once nothing is in flight either, because an item in flight may still come back.
    /// </summary>
    private bool ReleasesNow(ConsumerState consumer) => consumer.Window == 0 || Unfinished == 0;

    private void Deliver(ConsumerState consumer, int count)
    {
        var itemIds = new long[count];
        var taken = 0;
        while (taken < count)
        {
            var id = _queue.PopFront();
            if (_items.TryGetValue(id, out var item) && item.IsQueued)
            {
                itemIds[taken++] = id; // anything else was completed by a late ack while it waited here
            }
        }

        var delivered = new ItemsDelivered(_lastDeliveryId + 1, itemIds);
        Record(delivered, e => ApplyDelivered(e, consumer));

        var deadline = Environment.TickCount64 + (long)_options.AckTimeout.TotalMilliseconds;
        var items = new DeliveredItem[count];
        for (var i = 0; i < count; i++)
        {
            var deliveryId = delivered.FirstDeliveryId + i;
            _deadlines.PushBack((deliveryId, deadline));
            items[i] = new DeliveredItem(deliveryId, _items[itemIds[i]].Item);
        }

        if (consumer.Window == 0)
        {
            consumer.Credits = Math.Max(0, consumer.Credits - count);
        }

        consumer.Ref.Tell(new Delivery(items));
        _metrics?.Delivered.Add(count);
    }

    private int AdmitParkedPuts()
    {
        var total = 0;
        while (_parkedPuts.Count > 0 && Room > 0)
        {
            var parked = _parkedPuts.PeekFront();
            var count = Admit(parked.Putter, parked.Put, parked.Admitted, Math.Min(Room, parked.Put.Items.Count - parked.Admitted));
            parked.Admitted += count;
            total += count;
            if (parked.Admitted == parked.Put.Items.Count)
            {
                _parkedPuts.PopFront();
            }
        }

        return total;
    }

    private void ReleaseWaitingGetters()
    {
        for (var n = _waitingGetters.Count; n > 0; n--)
        {
            var consumer = _waitingGetters.PopFront();
            if (consumer.Available > 0 && !ReleasesNow(consumer))
            {
                _waitingGetters.PushBack(consumer);
                continue;
            }

            consumer.IsWaiting = false;
            if (consumer.Available > 0)
            {
                consumer.Credits = 0;
                consumer.Window = 0;
                consumer.Ref.Tell(QueueShutDown.Instance);
            }
        }
    }

    private void AnswerJoinersIfDone()
    {
        if (Unfinished == 0 && _joiners.Count > 0)
        {
            foreach (var joiner in _joiners)
            {
                joiner.Tell(Joined.Instance);
            }

            _joiners.Clear();
        }

        if (_runJoiners.Count > 0 && IsRunComplete)
        {
            FinishRun();
            var completed = new RunCompleted(Status());
            foreach (var joiner in _runJoiners)
            {
                joiner.Tell(completed);
                Context.Unwatch(joiner);
            }

            _runJoiners.Clear();
        }
    }

    /// <summary>Journals the end of the run once, so the next start begins a new one.</summary>
    private void FinishRun()
    {
        if (!_runFinished)
        {
            Record(new RunFinished(_runNumber), _ => _runFinished = true);
            ReportGauges(); // the tick may not come again before the node leaves
        }
    }

    private sealed class ReportProgress
    {
        public static readonly ReportProgress Instance = new();
        private ReportProgress() { }
    }

    private sealed class ExpireDeliveries
    {
        public static readonly ExpireDeliveries Instance = new();
        private ExpireDeliveries() { }
    }
}
