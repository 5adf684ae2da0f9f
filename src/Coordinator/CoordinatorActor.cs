using Akka.Actor;
using Microsoft.Extensions.Logging;
using static ActorPipeline.Coordinator.QueueProtocol;

namespace ActorPipeline.Coordinator;

/// <summary>
/// Owns the queue and the outstanding-work count with asyncio.Queue's semantics, made safe for a
/// network that loses, repeats and delays messages: resent puts are recognised by (producer,
/// sequence number), every delivery has an id, a delivery not done within the ack timeout (or held
/// by a consumer that stopped) is queued again, and an item is counted done once however many of
/// its deliveries are acknowledged. Producers and consumers never talk to each other, only to this
/// actor; being an actor, it needs no locks.
/// </summary>
public sealed class CoordinatorActor : ReceiveActor, IWithTimers
{
    private readonly QueueOptions _options;
    private readonly int _expectedProducers;
    private readonly ILogger _log;
    private readonly Deque<long> _queue = new(); // item ids; an id whose item was completed meanwhile is skipped
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

    public CoordinatorActor(QueueOptions options, int expectedProducers, ILogger<CoordinatorActor> log)
    {
        _options = options;
        _expectedProducers = expectedProducers;
        _log = log;
        Receive<Put>(HandlePut);
        Receive<RegisterProducer>(HandleRegisterProducer);
        Receive<ProducerDone>(HandleProducerDone);
        Receive<Get>(HandleGet);
        Receive<RequestWork>(HandleRequestWork);
        Receive<CancelGet>(HandleCancelGet);
        Receive<TaskDone>(HandleTaskDone);
        Receive<Release>(HandleRelease);
        Receive<TaskFailed>(HandleTaskFailed);
        Receive<Join>(HandleJoin);
        Receive<JoinRun>(HandleJoinRun);
        Receive<GetStatus>(HandleGetStatus);
        Receive<GetDeadLetters>(HandleGetDeadLetters);
        Receive<Shutdown>(HandleShutdown);
        Receive<ExpireDeliveries>(HandleExpireDeliveries);
        Receive<Terminated>(HandleTerminated);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(QueueOptions options, int expectedProducers, ILogger<CoordinatorActor> log) =>
        Akka.Actor.Props.Create(() => new CoordinatorActor(options, expectedProducers, log));

    private int Unfinished => _queued + _inFlight;

    private bool IsRunComplete => _producersDone + _producersLost >= _expectedProducers && Unfinished == 0 && _parkedPuts.Count == 0;

    private int Room => _options.Capacity == 0 ? int.MaxValue : Math.Max(0, _options.Capacity - _queued);

    protected override void PreStart()
    {
        // Expiry is checked a few times per timeout, but at least every second and at most every 10 ms.
        var interval = TimeSpan.FromTicks(Math.Clamp(_options.AckTimeout.Ticks / 4, TimeSpan.TicksPerMillisecond * 10, TimeSpan.TicksPerSecond));
        Timers.StartPeriodicTimer(nameof(ExpireDeliveries), ExpireDeliveries.Instance, interval);
    }

    protected override void Unhandled(object message)
    {
        _log.UnexpectedMessage(message.GetType().Name, Sender.Path.ToString());
        base.Unhandled(message);
    }

    // ---- producers ---------------------------------------------------------------------------

    private void HandlePut(Put put)
    {
        if (_shutDown)
        {
            Sender.Tell(new PutRejected(put.ProducerId, put.SequenceNr, PutRejection.ShutDown, 0));
            return;
        }

        var producer = ProducerFor(put.ProducerId);
        if (put.SequenceNr <= producer.HighestAccepted)
        {
            Sender.Tell(new PutAccepted(put.ProducerId, put.SequenceNr, put.Items.Count)); // a resend: its ack was lost
            return;
        }

        if (IsParked(put))
        {
            return; // a resend of a put still waiting for room: it is answered when it is in
        }

        if (!put.Wait)
        {
            if (put.Items.Count > Room)
            {
                Sender.Tell(new PutRejected(put.ProducerId, put.SequenceNr, PutRejection.Full, 0));
                return;
            }

            Admit(put, 0, put.Items.Count);
            Accept(Sender, put);
            Dispatch();
            return;
        }

        // Earlier parked putters go first, as asyncio wakes putters in FIFO order.
        var admitted = _parkedPuts.Count == 0 ? Admit(put, 0, Math.Min(Room, put.Items.Count)) : 0;
        if (admitted == put.Items.Count)
        {
            Accept(Sender, put);
        }
        else
        {
            // The reply is deferred until room frees: this is await put()'s backpressure.
            _parkedPuts.PushBack(new PendingPut(Sender, put, admitted));
            Context.Watch(Sender);
        }

        Dispatch();
    }

    private void HandleRegisterProducer(RegisterProducer register)
    {
        var producer = ProducerFor(register.ProducerId);
        if (!Sender.Equals(producer.Ref))
        {
            producer.Ref = Sender;
            Context.Watch(Sender); // a producer that stops, or whose node goes, before it is done is lost
            if (producer.IsLost)
            {
                producer.IsLost = false; // it came back under a new address
                _producersLost--;
            }
        }

        Sender.Tell(new ProducerRegistered(register.ProducerId));
    }

    private void HandleProducerDone(ProducerDone done)
    {
        var producer = ProducerFor(done.ProducerId);
        if (!producer.IsDone)
        {
            producer.IsDone = true;
            _producersDone++;
            if (producer.IsLost)
            {
                producer.IsLost = false;
                _producersLost--;
            }

            _log.ProducerDone(done.ProducerId, producer.Accepted);
        }

        Sender.Tell(new ProducerDoneAck(done.ProducerId));
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

        consumer.Credits += get.Credits;
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
        if (_shutDown && _queued == 0)
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
        foreach (var id in done.DeliveryIds)
        {
            if (_deliveries.TryGetValue(id, out var itemId))
            {
                Finish(_items[itemId]);
                _completed++;
            }
            else if (id > 0 && id <= _lastDeliveryId)
            {
                _duplicateAcks++; // its item was completed through this or another delivery already
            }
            else
            {
                // asyncio raises ValueError for a task_done without a get; nothing is counted.
                Sender.Tell(new TaskDoneRejected(id, $"task_done() for delivery {id}, which was never made."));
            }
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
        if (!_deliveries.TryGetValue(failed.DeliveryId, out var itemId))
        {
            if (failed.DeliveryId > 0 && failed.DeliveryId <= _lastDeliveryId)
            {
                _duplicateAcks++;
            }
            else
            {
                Sender.Tell(new TaskDoneRejected(failed.DeliveryId, $"Delivery {failed.DeliveryId} was never made; it cannot be dead-lettered."));
            }

            return;
        }

        var item = _items[itemId];
        Finish(item);
        _deadLetters.Add(new DeadLetteredItem(failed.DeliveryId, item.Item, failed.Attempts, failed.Error));
        _log.DeadLettered(item.Item.Hex, failed.DeliveryId, failed.Attempts, failed.Error);
        Dispatch();
        AnswerJoinersIfDone();
    }

    // ---- the runner --------------------------------------------------------------------------

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
            Sender.Tell(new RunCompleted(Status()));
        }
        else if (_runJoiners.Add(Sender))
        {
            Context.Watch(Sender);
        }
    }

    private void HandleGetStatus(GetStatus _) => Sender.Tell(Status());

    private void HandleGetDeadLetters(GetDeadLetters _) => Sender.Tell(new DeadLetters([.. _deadLetters]));

    private void HandleShutdown(Shutdown shutdown)
    {
        _shutDown = true;
        var dropped = 0;
        if (shutdown.Immediate)
        {
            _shutDownImmediately = true;
            while (_queue.Count > 0)
            {
                if (_items.TryGetValue(_queue.PopFront(), out var item) && item.IsQueued)
                {
                    Finish(item);
                    dropped++;
                }
            }

            _dropped += dropped;
        }

        while (_parkedPuts.Count > 0)
        {
            var parked = _parkedPuts.PopFront();
            parked.Putter.Tell(new PutRejected(parked.Put.ProducerId, parked.Put.SequenceNr, PutRejection.ShutDown, parked.Admitted));
        }

        _log.ShutDown(shutdown.Immediate ? "immediate" : "graceful", dropped, _queued, _inFlight);
        Sender.Tell(new ShutdownAck(dropped));
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
            Dispatch();
            AnswerJoinersIfDone();
        }
    }

    private void HandleTerminated(Terminated terminated)
    {
        var gone = terminated.ActorRef;
        _parkedPuts.RemoveAll(p => p.Putter.Equals(gone)); // what a cancelled putter had admitted stays accepted
        _runJoiners.Remove(gone);

        foreach (var producer in _producers.Values)
        {
            if (gone.Equals(producer.Ref) && !producer.IsDone && !producer.IsLost)
            {
                producer.IsLost = true;
                _producersLost++;
                _log.ProducerLost(producer.Id, producer.Accepted);
            }
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

    // ---- the queue ---------------------------------------------------------------------------

    private QueueStatus Status() => new(
        _queued, _inFlight, _options.Capacity, _shutDown,
        _accepted, _completed, _deadLetters.Count, _dropped, _redelivered,
        _parkedPuts.Count, _consumers.Values.Count(c => c.Available > 0), _duplicateAcks, _consumers.Count,
        _expectedProducers,
        _producers.Values.Count(p => p.IsRegistered),
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

    private int Admit(Put put, int from, int count)
    {
        for (var i = from; i < from + count; i++)
        {
            var id = ++_lastItemId;
            _items.Add(id, new ItemState(id, put.Items[i]));
            _queue.PushBack(id);
        }

        _queued += count;
        _accepted += count;
        ProducerFor(put.ProducerId).Accepted += count;
        return count;
    }

    private void Accept(IActorRef putter, Put put)
    {
        ProducerFor(put.ProducerId).HighestAccepted = put.SequenceNr;
        putter.Tell(new PutAccepted(put.ProducerId, put.SequenceNr, put.Items.Count));
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
            item.Holder!.InFlight.Remove(item.CurrentDelivery);
            JoinWaitingLine(item.Holder); // a windowed consumer may take another item now
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
        JoinWaitingLine(holder);

        _queued++;
        if (_shutDownImmediately)
        {
            Finish(item); // an immediate shutdown discards whatever comes back too
            _dropped++;
            return;
        }

        _queue.PushFront(item.Id);
        _redelivered++;
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

    private void Deliver(ConsumerState consumer, int count)
    {
        var items = new DeliveredItem[count];
        var deadline = Environment.TickCount64 + (long)_options.AckTimeout.TotalMilliseconds;
        var delivered = 0;
        while (delivered < count)
        {
            if (!_items.TryGetValue(_queue.PopFront(), out var item) || !item.IsQueued)
            {
                continue; // completed by a late ack while it waited here
            }

            var deliveryId = ++_lastDeliveryId;
            item.CurrentDelivery = deliveryId;
            item.Holder = consumer;
            _deliveries.Add(deliveryId, item.Id);
            _deadlines.PushBack((deliveryId, deadline));
            consumer.InFlight.Add(deliveryId);
            items[delivered++] = new DeliveredItem(deliveryId, item.Item);
        }

        _queued -= count;
        _inFlight += count;
        if (consumer.Window == 0)
        {
            consumer.Credits = Math.Max(0, consumer.Credits - count);
        }

        consumer.Ref.Tell(new Delivery(items));
    }

    private int AdmitParkedPuts()
    {
        var total = 0;
        while (_parkedPuts.Count > 0 && Room > 0)
        {
            var parked = _parkedPuts.PeekFront();
            var count = Math.Min(Room, parked.Put.Items.Count - parked.Admitted);
            Admit(parked.Put, parked.Admitted, count);
            parked.Admitted += count;
            total += count;
            if (parked.Admitted == parked.Put.Items.Count)
            {
                _parkedPuts.PopFront();
                Accept(parked.Putter, parked.Put);
            }
        }

        return total;
    }

    private void ReleaseWaitingGetters()
    {
        while (_waitingGetters.Count > 0)
        {
            var consumer = _waitingGetters.PopFront();
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
            var completed = new RunCompleted(Status());
            foreach (var joiner in _runJoiners)
            {
                joiner.Tell(completed);
                Context.Unwatch(joiner);
            }

            _runJoiners.Clear();
        }
    }

    private sealed class ExpireDeliveries
    {
        public static readonly ExpireDeliveries Instance = new();
        private ExpireDeliveries() { }
    }
}
