using ActorPipeline.Coordinator;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Tests.Model;

internal sealed partial class ModelRun
{
    private void Get(ModelConsumer consumer, int credits, bool wait)
    {
        if (_known.Add(consumer))
        {
            ExpectWatch(consumer.Client); // a consumer first heard from is watched, so what it holds comes back if it stops
        }

        _released.Remove(consumer);
        if (!wait)
        {
            if (_queue.Count == 0)
            {
                if (_mode == QueueMode.Open)
                {
                    Expect(consumer.Client, QueueEmpty.Instance);
                }
                else
                {
                    _directShutDown = consumer;
                }
            }
            else
            {
                _nowaitBudget = Math.Min(credits, _queue.Count); // these come without spending parked credits
            }
        }
        else if (_mode != QueueMode.Open && _queue.Count == 0)
        {
            _directShutDown = consumer;
        }
        else
        {
            consumer.Credits += credits;
        }

        _state.Get(consumer.Client, new Get(credits, wait));
    }

    private void RequestWork(ModelConsumer consumer, int window)
    {
        if (_known.Add(consumer))
        {
            ExpectWatch(consumer.Client); // a consumer first heard from is watched, so what it holds comes back if it stops
        }

        _released.Remove(consumer);
        consumer.Window = window;
        _requesting = consumer;

        // What it should hold and does not, at or below what it has seen, was lost on the way.
        var mine = HeldBy(consumer);
        Requeue([.. mine.Where(i => i.Current <= consumer.LastSeen && !consumer.Held.Contains(i.Current))]);
        if (mine.Any(i => i.Current > consumer.LastSeen))
        {
            Expect(consumer.Client, new DeliveredUpTo(consumer.LastDelivered));
        }

        // Leases: every delivery it names that is still its own starts its ack timeout afresh, in the order named.
        long[] held = [.. consumer.Held];
        var now = _time.GetTimestamp();
        foreach (var id in held)
        {
            if (_byLabel.Values.FirstOrDefault(i => i.Status == ModelItemStatus.InFlight && i.Holder == consumer && i.Current == id) is { } leased)
            {
                leased.DeliveredAt = now;
                leased.LeaseOrder = ++_leaseOrder;
            }
        }

        if (_mode != QueueMode.Open && Unfinished == 0)
        {
            _directShutDown = consumer; // told at once; it does not join the waiting line
            _released.Add(consumer);
        }

        _state.RequestWork(consumer.Client, new RequestWork(window, held, consumer.LastSeen));
    }

    /// <summary>What the coordinator counts as held by the consumer, oldest delivery first.</summary>
    private List<ModelItem> HeldBy(ModelConsumer consumer) =>
        [.. _byLabel.Values.Where(i => i.Status == ModelItemStatus.InFlight && i.Holder == consumer).OrderBy(i => i.Current)];

    /// <summary>Up to <paramref name="count"/> deliveries the consumer holds, from one the argument picks on, in delivery order; it holds them no more.</summary>
    private static List<long> PickHeld(ModelConsumer consumer, int argument, int count)
    {
        if (consumer.Held.Count == 0)
        {
            return [];
        }

        List<long> held = [.. consumer.Held.Order()];
        List<long> picked = [.. held.Skip(argument / 3 % held.Count).Take(count)];
        consumer.Held.ExceptWith(picked);
        return picked;
    }

    /// <summary>A task_done for a delivery: completes its item if the delivery is still remembered, else it is a duplicate.</summary>
    private void Acknowledge(long deliveryId)
    {
        var item = _issued[deliveryId];
        if (!item.IsFinished && item.Known.Contains(deliveryId))
        {
            Finish(item, ModelItemStatus.Completed);
            _completed++;
        }
        else
        {
            _duplicates++;
        }
    }

    /// <summary>Items back to the head of the queue in this order (dropped after an immediate shutdown).</summary>
    private void Requeue(List<ModelItem> items)
    {
        for (var i = items.Count - 1; i >= 0; i--)
        {
            var item = items[i];
            item.Status = ModelItemStatus.Queued;
            item.Holder = null;
            item.Current = 0;
            if (_mode == QueueMode.ShutDownImmediately)
            {
                Finish(item, ModelItemStatus.Dropped);
                _dropped++;
                continue;
            }

            _queue.AddFront(item);
            _redelivered++;
        }
    }

    private void Finish(ModelItem item, ModelItemStatus status)
    {
        Require(!item.IsFinished, () => $"item {item.Label} finished twice ({item.Status}, then {status})");
        _queue.Remove(item);
        item.Holder = null;
        item.Status = status;
        item.Known.Clear();
        switch (status)
        {
            case ModelItemStatus.Completed:
                item.Job.Completed++;
                break;
            case ModelItemStatus.Dropped:
                item.Job.Dropped++;
                break;
            case ModelItemStatus.Discarded:
                item.Job.Discarded++;
                break;
        }
    }

    private void AdvanceTime(TimeSpan by)
    {
        _time.Advance(by);
        var now = _time.GetTimestamp();
        var ackTicks = (long)(AckTimeout.TotalSeconds * _time.TimestampFrequency);
        Requeue([.. _byLabel.Values.Where(i => i.Status == ModelItemStatus.InFlight && i.DeliveredAt + ackTicks <= now).OrderBy(i => i.LeaseOrder)]);
        var silence = (long)(ProducerTimeout.TotalSeconds * _time.TimestampFrequency);
        foreach (var producer in _producers.Where(p => p.Phase == ModelProducerPhase.Active && p.SilentSince is { } since && now - since >= silence))
        {
            producer.Phase = ModelProducerPhase.Lost;
        }

        ForgetOldJobs();
        _state.Tick();
    }

    private void Shutdown(bool immediate)
    {
        var queuedBefore = _queue.Count;
        if (immediate)
        {
            _mode = QueueMode.ShutDownImmediately;
            foreach (var item in _queue.Items.ToList())
            {
                Finish(item, ModelItemStatus.Dropped);
                _dropped++;
            }

            _queue.Clear(); // the turns start afresh
        }
        else if (_mode == QueueMode.Open)
        {
            _mode = QueueMode.ShutDown;
        }

        foreach (var parked in _parked)
        {
            Expect(parked.Client, new PutRejected(parked.Id, parked.Pending!.Value.Seq, PutRejection.ShutDown, parked.PendingAdmitted));
            parked.Pending = null;
            parked.PendingParked = false;
        }

        _parked.Clear();
        ExpectStored(_operator, new ShutdownAck(queuedBefore - _queue.Count));
        _state.Shutdown(_operator, new Shutdown(immediate));
    }

    /// <summary>The coordinator stops and a new one recovers from the journal (or the last snapshot and the events after it).</summary>
    private void CrashAndRecover(bool fromSnapshot)
    {
        _state = Rebuild(fromSnapshot && _snapshot is not null);
        _state.CompleteRecovery(offline: false);

        // Whoever held a delivery is forgotten: what was in flight is queued again and counted redelivered
        // (dropped after an immediate shutdown), and the queue is every unfinished item, oldest first.
        foreach (var item in _byLabel.Values.Where(i => i.Status == ModelItemStatus.InFlight).ToList())
        {
            item.Status = ModelItemStatus.Queued;
            item.Holder = null;
            item.Current = 0;
            if (_mode == QueueMode.ShutDownImmediately)
            {
                Finish(item, ModelItemStatus.Dropped);
                _dropped++;
            }
            else
            {
                _redelivered++; // it will be delivered again: the summary counts it, after a recovery as at any other time
            }
        }

        _queue.Clear();
        foreach (var item in _byLabel.Values.Where(i => i.Status == ModelItemStatus.Queued).OrderBy(i => i.Order))
        {
            _queue.Add(item); // the turns start afresh: jobs in the order of their oldest queued item
        }

        _known.Clear();
        _released.Clear();
        foreach (var consumer in _consumers)
        {
            consumer.Window = 0;
            consumer.Credits = 0;
            consumer.LastDelivered = 0;
        }

        foreach (var producer in _parked)
        {
            producer.PendingParked = false; // waiting puts are not journaled: their producers resend them
        }

        _parked.Clear();
        _joinPending = false;
        _runJoinPending = false;
        foreach (var job in _jobs.Values)
        {
            job.JoinPending = false; // joiners are not journaled: they join again
        }

        _runJob.OpenedAt = _time.GetUtcNow().UtcDateTime; // the run's job is as old as its coordinator
        foreach (var producer in _putters)
        {
            producer.HeardFrom = null;
            producer.SilentSince = producer.Phase == ModelProducerPhase.Active ? _time.GetTimestamp() : null;
        }

        if (_runFinished)
        {
            StartNewRun();
        }
    }

    private void StartNewRun()
    {
        _runFinished = false;
        _mode = QueueMode.Open;
        _accepted = Unfinished + DeadNow; // dead letters carry over and are this run's to settle too
        (_completed, _discarded, _dropped, _redelivered, _duplicates) = (0, 0, 0, 0, 0);
        _endedByOperator = false;
        _runJob.Accepted = _byLabel.Values.Count(i => i.Job == _runJob && i.Status is ModelItemStatus.Queued or ModelItemStatus.InFlight or ModelItemStatus.DeadLettered);
        (_runJob.Completed, _runJob.Discarded, _runJob.Dropped) = (0, 0, 0);
        _runJob.Producers.Clear();
        foreach (var producer in _putters)
        {
            producer.Phase = ModelProducerPhase.Unregistered;
            producer.Registered = false;
            producer.HighestAccepted = 0;
            producer.AcceptedItems = 0;
            producer.PartialSeq = 0;
            producer.LastAccepted = null;
            producer.Pending = null;
            producer.SilentSince = null;
            producer.Job = null; // a new run forgets every producer, clients' put keys too
        }
    }
}
