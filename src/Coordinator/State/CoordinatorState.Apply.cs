using static ActorPipeline.Coordinator.Persistence.QueueEvents;

namespace ActorPipeline.Coordinator.State;

internal sealed partial class CoordinatorState<TClient>
{
    /// <summary>
    /// The only way journaled state changes, live and in recovery alike (<see cref="Restore"/> goes through
    /// the same steps). In recovery no client holds anything and the queue's order is rebuilt at the end
    /// (<see cref="CompleteRecovery"/>), so the deque is left alone until then. The operator's page hears of
    /// each event through one call, before it changes the state, while it can still tell who held an item.
    /// </summary>
    public void Apply(IQueueEvent @event)
    {
        _tally.Observe(@event, HolderOf);
        switch (@event)
        {
            case ItemsAccepted e:
                ApplyAccepted(e);
                break;
            case EventGroup group:
                foreach (var e in group.Events)
                {
                    Apply(e);
                }

                break;
            case ItemsDelivered e:
                ApplyDelivered(e);
                break;
            case ItemsCompleted e:
                var completed = 0;
                foreach (var id in e.ItemIds)
                {
                    if (_items.TryGetValue(id, out var item))
                    {
                        Finish(item);
                        item.Job.Completed++;
                        completed++;
                    }
                }

                _totals = _totals with { Completed = _totals.Completed + completed };
                break;
            case ItemsRequeued e:
                // Walk backwards so the items keep the event's order at the head of the queue.
                for (var i = e.DeliveryIds.Count - 1; i >= 0; i--)
                {
                    if (_deliveries.TryGetValue(e.DeliveryIds[i], out var item) && item.CurrentDelivery == e.DeliveryIds[i])
                    {
                        ReturnToQueue(item);
                    }
                }

                break;
            case AcksIgnored e:
                _totals = _totals with { DuplicateAcks = _totals.DuplicateAcks + e.Count };
                break;
            case ItemDeadLettered e:
                if (_items.TryGetValue(e.ItemId, out var failed))
                {
                    Finish(failed);
                    failed.Job.DeadLettered++;
                    _deadLetters[e.ItemId] = new DeadLetteredItem(e.ItemId, e.DeliveryId, failed.Item, e.Attempts, e.Error, failed.Job.Id);
                }

                break;
            case DeadLettersRequeued e:
                foreach (var id in e.ItemIds)
                {
                    if (_deadLetters.Remove(id, out var dead))
                    {
                        // Accepted once already: it moves from dead-lettered back to unfinished, delivered before.
                        var job = JobNamed(dead.Job);
                        job.DeadLettered--;
                        AddItem(new ItemState<TClient>(id, dead.Item, job) { FromDeadLetters = true, Deliveries = 1 });
                    }
                }

                break;
            case DeadLettersDiscarded e:
                ApplyDiscarded(e);
                break;
            case RunEndedByOperator:
                ApplyRunEnded();
                break;
            case ProducerAnnounced e:
                ApplyAnnounced(ProducerFor(e.ProducerId), e.Node, e.NodeProducers);
                break;
            case ProducerCompleted e:
                var done = ProducerFor(e.ProducerId);
                if (done.Phase != ProducerPhase.Done)
                {
                    MoveTo(done, ProducerPhase.Done);
                }

                break;
            case ProducerSuspended e:
                var stopped = ProducerFor(e.ProducerId);
                if (stopped.Phase == ProducerPhase.Active)
                {
                    MoveTo(stopped, ProducerPhase.Stopped);
                }

                break;
            case ProducerLost e:
                var lost = ProducerFor(e.ProducerId);
                if (lost.Phase == ProducerPhase.Active)
                {
                    MoveTo(lost, ProducerPhase.Lost);
                }

                break;
            case ShutdownRequested e:
                ApplyShutdown(e.Immediate);
                break;
            case IncarnationStarted e:
                _totals = _totals with
                {
                    Incarnation = e.Incarnation,
                    LastDeliveryId = Math.Max(_totals.LastDeliveryId, e.Incarnation << IncarnationShift),
                };
                ReturnEveryDelivery();
                break;
            case RunFinished:
                _totals = _totals with { RunFinished = true };
                break;
            case RunStarted e:
                ApplyRunStarted(e.RunNumber);
                break;
            case JobOpened e:
                ApplyJobOpened(e);
                break;
            case JobClosed e:
                ApplyJobClosed(e);
                break;
            case JobCancelled e:
                ApplyJobCancelled(e);
                break;
            case JobSettled e:
                ApplyJobSettled(e);
                break;
            case JobsForgotten e:
                ApplyJobsForgotten(e);
                break;
            default:
                throw new ArgumentException($"{@event.GetType().Name} is not an event the coordinator applies.", nameof(@event));
        }
    }

    private TClient? HolderOf(long itemId) => _items.TryGetValue(itemId, out var item) ? item.Holder?.Ref : null;

    private void ApplyAccepted(ItemsAccepted e)
    {
        var job = JobNamed(e.Job);
        for (var i = 0; i < e.Items.Count; i++)
        {
            AddItem(new ItemState<TClient>(e.FirstItemId + i, e.Items[i], job));
        }

        job.Accepted += e.Items.Count;
        job.Producers[e.ProducerId] = job.Producers.GetValueOrDefault(e.ProducerId) + e.Items.Count;

        _totals = _totals with
        {
            Accepted = _totals.Accepted + e.Items.Count,
            LastItemId = Math.Max(_totals.LastItemId, e.FirstItemId + e.Items.Count - 1),
        };
        var producer = ProducerFor(e.ProducerId);
        producer.Job ??= job.Id;
        producer.Accepted += e.Items.Count;
        if (e.PutComplete)
        {
            producer.HighestAccepted = Math.Max(producer.HighestAccepted, e.SequenceNr);
            producer.PartialAdmitted = 0;
            producer.PartialSequenceNr = long.MinValue;
            return;
        }

        if (producer.PartialSequenceNr != e.SequenceNr)
        {
            producer.PartialSequenceNr = e.SequenceNr;
            producer.PartialAdmitted = 0;
        }

        producer.PartialAdmitted += e.Items.Count;
    }

    /// <summary>An unfinished item joins the state, queued at the back (its order is rebuilt after recovery).</summary>
    private void AddItem(ItemState<TClient> item)
    {
        _items.Add(item.Id, item);
        Move(item, ItemPlace.Queued);
        if (!_recovering)
        {
            _ring.PushBack(item);
        }
    }

    private void ApplyDelivered(ItemsDelivered e)
    {
        for (var i = 0; i < e.ItemIds.Count; i++)
        {
            if (!_items.TryGetValue(e.ItemIds[i], out var item))
            {
                continue;
            }

            if (item.Place == ItemPlace.InFlight)
            {
                // In recovery of an older journal: it was handed back or timed out without an event and delivered again.
                Supersede(item);
            }

            item.Deliveries++;
            HandOut(item, e.FirstDeliveryId + i);
        }

        _totals = _totals with { LastDeliveryId = Math.Max(_totals.LastDeliveryId, e.FirstDeliveryId + e.ItemIds.Count - 1) };
    }

    /// <summary>The item is in flight under this delivery, which is remembered (the oldest forgotten past the limit).</summary>
    private void HandOut(ItemState<TClient> item, long deliveryId)
    {
        Move(item, ItemPlace.InFlight);
        item.CurrentDelivery = deliveryId;
        _deliveries[deliveryId] = item;
        if (item.Superseded is { Count: >= ItemState<TClient>.MaxKnownDeliveries } superseded)
        {
            // A task_done for the forgotten delivery will count as a duplicate; the item still ends once.
            _deliveries.Remove(superseded[0]);
            superseded.RemoveAt(0);
        }
    }

    /// <summary>
    /// The one writer of the queued and in-flight counts: an item changes place, and the counts follow. The
    /// queue's deque is the caller's (a finished item's entry stays there and is skipped).
    /// </summary>
    private void Move(ItemState<TClient> item, ItemPlace to)
    {
        var job = item.Job;
        switch (item.Place)
        {
            case ItemPlace.Queued:
                _queued--;
                job.Queued--;
                break;
            case ItemPlace.InFlight:
                _inFlight--;
                job.InFlight--;
                break;
        }

        switch (to)
        {
            case ItemPlace.Queued:
                _queued++;
                job.Queued++;
                break;
            case ItemPlace.InFlight:
                _inFlight++;
                job.InFlight++;
                break;
        }

        item.Place = to;
    }

    private void ApplyAnnounced(ProducerState<TClient> producer, string node, int nodeProducers)
    {
        Announce(producer, node, nodeProducers);
        if (!_recovering)
        {
            StartJoinWindow();
        }

        if (producer.Phase is ProducerPhase.Unregistered or ProducerPhase.Lost or ProducerPhase.Stopped)
        {
            MoveTo(producer, ProducerPhase.Active); // a lost or stopped producer that registers again is waited for again
        }
    }

    /// <summary>A producer registered in this run, counted once, under its node.</summary>
    private void Announce(ProducerState<TClient> producer, string node, int nodeProducers)
    {
        if (!producer.IsAnnounced)
        {
            producer.IsAnnounced = true;
            _producersRegistered++;
            CountOnNode(producer, node, nodeProducers);
        }
    }

    private void ApplyShutdown(bool immediate)
    {
        if (!immediate)
        {
            _totals = _totals with { Mode = _totals.Mode == QueueMode.Open ? QueueMode.ShutDown : _totals.Mode };
            return;
        }

        _totals = _totals with { Mode = QueueMode.ShutDownImmediately };
        var dropped = 0;
        foreach (var item in _items.Values.Where(i => i.Place == ItemPlace.Queued).ToList())
        {
            Finish(item);
            item.Job.Dropped++;
            dropped++;
        }

        _totals = _totals with { Dropped = _totals.Dropped + dropped };
        _ring.Clear(_jobs.Values);
    }

    private void ApplyRunStarted(long runNumber)
    {
        // A new batch run: producers and counts start afresh; requeued dead letters already queued stay.
        _producers.Clear();
        Array.Clear(_producersIn);
        _producersRegistered = 0;
        _runJob.Producers.Clear();
        _runJob.Accepted = _runJob.Unfinished + _runJob.DeadLettered;
        _runJob.Completed = 0;
        _runJob.Discarded = 0;
        _runJob.Dropped = 0;
        _totals = _totals with
        {
            RunNumber = runNumber,
            RunFinished = false,
            Accepted = _items.Count + _deadLetters.Count, // what carries over is this run's to settle, so the counts add up
            Completed = 0,
            Discarded = 0,
            EndedByOperator = false,
            Dropped = 0,
            Redelivered = 0,
            DuplicateAcks = 0,
            Mode = QueueMode.Open,
        };
    }

    /// <summary>
    /// A new incarnation starts: whoever held a delivery belongs to the one before, so every item in
    /// flight is queued again (dropped after an immediate shutdown). Its deliveries stay remembered, so a
    /// late acknowledgement still counts once. It is part of the event, so a replay does the same.
    /// </summary>
    private void ReturnEveryDelivery()
    {
        foreach (var item in _items.Values.Where(i => i.Place == ItemPlace.InFlight).ToList())
        {
            // Queued again, so delivered again: counted redelivered like any other return (the summary's figure
            // is the journal's, replayed the same way). The queue's order is rebuilt once recovery completes.
            if (TakeBack(item))
            {
                _totals = _totals with { Redelivered = _totals.Redelivered + 1 };
            }
        }
    }

    /// <summary>Moves the current delivery to the superseded ones: a late ack for it still counts once.</summary>
    private static void Supersede(ItemState<TClient> item)
    {
        (item.Superseded ??= []).Add(item.CurrentDelivery);
        item.CurrentDelivery = 0;
    }

    /// <summary>Takes a finished (completed, dead-lettered or dropped) item out of every structure that knows it.</summary>
    private void Finish(ItemState<TClient> item)
    {
        _items.Remove(item.Id);
        var wasQueued = item.Place == ItemPlace.Queued;
        Move(item, ItemPlace.Finished);
        if (wasQueued)
        {
            JobRing<TClient>.CompactIfSparse(item.Job); // its entry stays in its job's queue and is skipped there
        }
        else
        {
            _deliveries.Remove(item.CurrentDelivery);
            _deadlines.Remove(item);
            if (item.Holder is { } holder)
            {
                holder.InFlight.Remove(item.CurrentDelivery);
                item.Holder = null;
                EnterWaitingLine(holder); // a windowed consumer may take another item now
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

    /// <summary>Puts a delivered item back at the head of the queue (dropped instead after an immediate shutdown).</summary>
    private void ReturnToQueue(ItemState<TClient> item)
    {
        if (!TakeBack(item))
        {
            return;
        }

        _totals = _totals with { Redelivered = _totals.Redelivered + 1 };
        if (!_recovering)
        {
            _ring.PushFront(item);
            _metrics?.Redelivered.Add(1);
        }
    }

    /// <summary>
    /// Takes an item in flight back from whoever holds it and counts it queued; false if an immediate
    /// shutdown dropped it instead. Where it goes in the queue is the caller's to say.
    /// </summary>
    private bool TakeBack(ItemState<TClient> item)
    {
        if (item.Holder is { } holder)
        {
            holder.InFlight.Remove(item.CurrentDelivery);
            item.Holder = null;
            EnterWaitingLine(holder);
        }

        _deadlines.Remove(item);
        Supersede(item);
        Move(item, ItemPlace.Queued);
        if (_totals.Mode != QueueMode.ShutDownImmediately)
        {
            return true;
        }

        Finish(item);
        item.Job.Dropped++;
        _totals = _totals with { Dropped = _totals.Dropped + 1 };
        return false;
    }
}
