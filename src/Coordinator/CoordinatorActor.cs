using Akka.Actor;
using Microsoft.Extensions.Logging;
using static ActorPipeline.Coordinator.QueueProtocol;

namespace ActorPipeline.Coordinator;

/// <summary>
/// Owns the queue and the outstanding-work count with asyncio.Queue's semantics. Producers and
/// consumers never talk to each other, only to this actor; being an actor, it needs no locks.
/// Unfinished work is derived (queued + in flight), so the count cannot drift or go negative.
/// </summary>
public sealed class CoordinatorActor : ReceiveActor
{
    private readonly QueueOptions _options;
    private readonly ILogger _log;
    private readonly Deque<QueueItem> _queue = new();
    private readonly Dictionary<long, InFlightItem> _inFlight = [];
    private readonly Dictionary<IActorRef, ConsumerState> _consumers = [];
    private readonly Deque<ConsumerState> _waitingGetters = new();
    private readonly Deque<PendingPut> _parkedPuts = new();
    private readonly List<IActorRef> _joiners = [];
    private readonly List<DeadLetteredItem> _deadLetters = [];
    private long _lastDeliveryId;
    private long _accepted;
    private long _completed;
    private long _dropped;
    private long _redelivered;
    private bool _shutDown;
    private bool _shutDownImmediately;

    public CoordinatorActor(QueueOptions options, ILogger<CoordinatorActor> log)
    {
        _options = options;
        _log = log;
        Receive<Put>(HandlePut);
        Receive<Get>(HandleGet);
        Receive<CancelGet>(HandleCancelGet);
        Receive<TaskDone>(HandleTaskDone);
        Receive<Release>(HandleRelease);
        Receive<TaskFailed>(HandleTaskFailed);
        Receive<Join>(HandleJoin);
        Receive<GetStatus>(HandleGetStatus);
        Receive<GetDeadLetters>(HandleGetDeadLetters);
        Receive<Shutdown>(HandleShutdown);
        Receive<Terminated>(HandleTerminated);
    }

    public static Props Props(QueueOptions options, ILogger<CoordinatorActor> log) =>
        Akka.Actor.Props.Create(() => new CoordinatorActor(options, log));

    private int Unfinished => _queue.Count + _inFlight.Count;

    private int Room => _options.Capacity == 0 ? int.MaxValue : Math.Max(0, _options.Capacity - _queue.Count);

    private void HandlePut(Put put)
    {
        if (_shutDown)
        {
            Sender.Tell(new PutRejected(put.ProducerId, put.SequenceNr, PutRejection.ShutDown, 0));
            return;
        }

        if (!put.Wait)
        {
            if (put.Items.Count > Room)
            {
                Sender.Tell(new PutRejected(put.ProducerId, put.SequenceNr, PutRejection.Full, 0));
                return;
            }

            Admit(put, 0, put.Items.Count);
            Sender.Tell(new PutAccepted(put.ProducerId, put.SequenceNr, put.Items.Count));
            Dispatch();
            return;
        }

        // Earlier parked putters go first, as asyncio wakes putters in FIFO order.
        var admitted = _parkedPuts.Count == 0 ? Admit(put, 0, Math.Min(Room, put.Items.Count)) : 0;
        if (admitted == put.Items.Count)
        {
            Sender.Tell(new PutAccepted(put.ProducerId, put.SequenceNr, admitted));
        }
        else
        {
            // The reply is deferred until room frees: this is await put()'s backpressure.
            _parkedPuts.PushBack(new PendingPut(Sender, put, admitted));
            Context.Watch(Sender);
        }

        Dispatch();
    }

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
            if (_queue.Count == 0)
            {
                Sender.Tell(_shutDown ? QueueShutDown.Instance : QueueEmpty.Instance);
                return;
            }

            Deliver(consumer, Math.Min(get.Credits, _queue.Count));
            Dispatch();
            return;
        }

        if (_shutDown && _queue.Count == 0)
        {
            Sender.Tell(QueueShutDown.Instance);
            return;
        }

        consumer.Credits += get.Credits;
        if (!consumer.IsWaiting)
        {
            consumer.IsWaiting = true;
            _waitingGetters.PushBack(consumer);
        }

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
            if (_inFlight.Remove(id, out var entry))
            {
                entry.Consumer.InFlight.Remove(id);
                _completed++;
            }
            else
            {
                // asyncio raises ValueError for one task_done too many; the count is never pushed below zero.
                Sender.Tell(new TaskDoneRejected(id, $"task_done() for delivery {id}, which is not outstanding (already done, released or never delivered)."));
            }
        }

        AnswerJoinersIfDone();
    }

    private void HandleRelease(Release release)
    {
        // Walk backwards so the released items keep their order at the head of the queue.
        for (var i = release.DeliveryIds.Count - 1; i >= 0; i--)
        {
            var id = release.DeliveryIds[i];
            if (!_inFlight.Remove(id, out var entry))
            {
                _log.UnknownRelease(id, Sender.Path.ToString());
                continue;
            }

            entry.Consumer.InFlight.Remove(id);
            Requeue(entry.Item);
        }

        Dispatch();
        AnswerJoinersIfDone();
    }

    private void HandleTaskFailed(TaskFailed failed)
    {
        if (!_inFlight.Remove(failed.DeliveryId, out var entry))
        {
            Sender.Tell(new TaskDoneRejected(failed.DeliveryId, $"Delivery {failed.DeliveryId} is not outstanding; it cannot be dead-lettered."));
            return;
        }

        entry.Consumer.InFlight.Remove(failed.DeliveryId);
        _deadLetters.Add(new DeadLetteredItem(failed.DeliveryId, entry.Item, failed.Attempts, failed.Error));
        _log.DeadLettered(entry.Item.Hex, failed.DeliveryId, failed.Attempts, failed.Error);
        AnswerJoinersIfDone();
    }

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

    private void HandleGetStatus(GetStatus _) =>
        Sender.Tell(new QueueStatus(
            _queue.Count, _inFlight.Count, _options.Capacity, _shutDown,
            _accepted, _completed, _deadLetters.Count, _dropped, _redelivered,
            _parkedPuts.Count, _consumers.Values.Count(c => c.Credits > 0)));

    private void HandleGetDeadLetters(GetDeadLetters _) => Sender.Tell(new DeadLetters([.. _deadLetters]));

    private void HandleShutdown(Shutdown shutdown)
    {
        _shutDown = true;
        var dropped = 0;
        if (shutdown.Immediate)
        {
            _shutDownImmediately = true;
            dropped = _queue.Count;
            _queue.Clear();
            _dropped += dropped;
        }

        while (_parkedPuts.Count > 0)
        {
            var parked = _parkedPuts.PopFront();
            parked.Putter.Tell(new PutRejected(parked.Put.ProducerId, parked.Put.SequenceNr, PutRejection.ShutDown, parked.Admitted));
        }

        _log.ShutDown(shutdown.Immediate ? "immediate" : "graceful", dropped, _queue.Count, _inFlight.Count);
        Sender.Tell(new ShutdownAck(dropped));
        Dispatch();
        AnswerJoinersIfDone();
    }

    private void HandleTerminated(Terminated terminated)
    {
        var gone = terminated.ActorRef;
        _parkedPuts.RemoveAll(p => p.Putter.Equals(gone)); // what a cancelled putter had admitted stays accepted

        if (_consumers.Remove(gone, out var consumer))
        {
            consumer.Credits = 0;
            if (consumer.InFlight.Count > 0)
            {
                // A stopped consumer costs time, never items: what it held goes back to the head, oldest first.
                var ids = consumer.InFlight.Order().ToArray();
                for (var i = ids.Length - 1; i >= 0; i--)
                {
                    Requeue(_inFlight[ids[i]].Item);
                    _inFlight.Remove(ids[i]);
                }

                _log.ConsumerLostItems(gone.Path.Name, ids.Length);
            }
        }

        Dispatch();
        AnswerJoinersIfDone();
    }

    protected override void Unhandled(object message)
    {
        _log.UnexpectedMessage(message.GetType().Name, Sender.Path.ToString());
        base.Unhandled(message);
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

    private int Admit(Put put, int from, int count)
    {
        for (var i = from; i < from + count; i++)
        {
            _queue.PushBack(put.Items[i]);
        }

        _accepted += count;
        return count;
    }

    private void Requeue(QueueItem item)
    {
        if (_shutDownImmediately)
        {
            _dropped++; // an immediate shutdown discards whatever comes back too
            return;
        }

        _queue.PushFront(item);
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
            while (_queue.Count > 0 && _waitingGetters.Count > 0)
            {
                var consumer = _waitingGetters.PopFront();
                if (consumer.Credits == 0)
                {
                    consumer.IsWaiting = false;
                    continue;
                }

                Deliver(consumer, Math.Min(consumer.Credits, Math.Min(_queue.Count, _options.MaxDeliveryBatch)));
                if (consumer.Credits > 0)
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

        if (_shutDown && _queue.Count == 0)
        {
            ReleaseWaitingGetters();
        }
    }

    private void Deliver(ConsumerState consumer, int count)
    {
        var items = new DeliveredItem[count];
        for (var i = 0; i < count; i++)
        {
            var item = _queue.PopFront();
            var id = ++_lastDeliveryId;
            _inFlight.Add(id, new InFlightItem(item, consumer));
            consumer.InFlight.Add(id);
            items[i] = new DeliveredItem(id, item);
        }

        consumer.Credits = Math.Max(0, consumer.Credits - count);
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
                parked.Putter.Tell(new PutAccepted(parked.Put.ProducerId, parked.Put.SequenceNr, parked.Admitted));
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
            if (consumer.Credits > 0)
            {
                consumer.Credits = 0;
                consumer.Ref.Tell(QueueShutDown.Instance);
            }
        }
    }

    private void AnswerJoinersIfDone()
    {
        if (Unfinished != 0 || _joiners.Count == 0)
        {
            return;
        }

        foreach (var joiner in _joiners)
        {
            joiner.Tell(Joined.Instance);
        }

        _joiners.Clear();
    }
}
