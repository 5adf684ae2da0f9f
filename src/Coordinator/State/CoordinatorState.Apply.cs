using static ActorPipeline.Coordinator.Persistence.QueueEvents;

namespace ActorPipeline.Coordinator.State;

internal sealed partial class CoordinatorState<TClient>
{
    /// <summary>
    /// The only way journaled state changes, live and in recovery alike. In recovery no client holds
    /// anything and the queue's order is rebuilt at the end (<see cref="CompleteRecovery"/>), so the
    /// deque is left alone until then.
    /// </summary>
    public void Apply(IQueueEvent @event)
    {
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
                foreach (var id in e.ItemIds)
                {
                    if (_items.TryGetValue(id, out var item))
                    {
                        if (item.Holder is { } holder)
                        {
                            holder.Completed++; // for the operator's page; Finish forgets the holder
                        }

                        Finish(item);
                        _completed++;
                    }
                }

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
                _duplicateAcks += e.Count;
                break;
            case ItemDeadLettered e:
                if (_items.TryGetValue(e.ItemId, out var failed))
                {
                    Finish(failed);
                    _deadLetters[e.ItemId] = new DeadLetteredItem(e.ItemId, e.DeliveryId, failed.Item, e.Attempts, e.Error);
                }

                break;
            case DeadLettersRequeued e:
                foreach (var id in e.ItemIds)
                {
                    if (_deadLetters.Remove(id, out var dead))
                    {
                        var item = new ItemState<TClient>(id, dead.Item) { FromDeadLetters = true, Deliveries = 1 };
                        _items.Add(id, item);
                        PushBackUnlessRecovering(item);
                        _queued++; // accepted once already: it moves from dead-lettered back to unfinished
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
                _incarnation = e.Incarnation;
                _lastDeliveryId = Math.Max(_lastDeliveryId, e.Incarnation << IncarnationShift);
                ReturnEveryDelivery();
                break;
            case RunFinished:
                _runFinished = true;
                break;
            case RunStarted e:
                ApplyRunStarted(e.RunNumber);
                break;
            default:
                throw new ArgumentException($"{@event.GetType().Name} is not an event the coordinator applies.", nameof(@event));
        }
    }

    private void ApplyAccepted(ItemsAccepted e)
    {
        for (var i = 0; i < e.Items.Count; i++)
        {
            var item = new ItemState<TClient>(e.FirstItemId + i, e.Items[i]);
            _items.Add(item.Id, item);
            PushBackUnlessRecovering(item);
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
            return;
        }

        if (producer.PartialSequenceNr != e.SequenceNr)
        {
            producer.PartialSequenceNr = e.SequenceNr;
            producer.PartialAdmitted = 0;
        }

        producer.PartialAdmitted += e.Items.Count;
    }

    private void ApplyDelivered(ItemsDelivered e)
    {
        for (var i = 0; i < e.ItemIds.Count; i++)
        {
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
                // In recovery of an older journal: it was handed back or timed out without an event and delivered again.
                Supersede(item);
            }

            var deliveryId = e.FirstDeliveryId + i;
            item.CurrentDelivery = deliveryId;
            item.Deliveries++;
            _deliveries[deliveryId] = item;
            if (item.Superseded is { Count: >= ItemState<TClient>.MaxKnownDeliveries } superseded)
            {
                // A task_done for the forgotten delivery will count as a duplicate; the item still ends once.
                _deliveries.Remove(superseded[0]);
                superseded.RemoveAt(0);
            }
        }

        _lastDeliveryId = Math.Max(_lastDeliveryId, e.FirstDeliveryId + e.ItemIds.Count - 1);
    }

    private void ApplyAnnounced(ProducerState<TClient> producer, string node, int nodeProducers)
    {
        if (!producer.IsAnnounced)
        {
            producer.IsAnnounced = true;
            _producersRegistered++;
            CountOnNode(producer, node, nodeProducers);
        }

        if (!_recovering)
        {
            StartJoinWindow();
        }

        if (producer.Phase is ProducerPhase.Unregistered or ProducerPhase.Lost or ProducerPhase.Stopped)
        {
            MoveTo(producer, ProducerPhase.Active); // a lost or stopped producer that registers again is waited for again
        }
    }

    private void ApplyShutdown(bool immediate)
    {
        if (!immediate)
        {
            _mode = _mode == QueueMode.Open ? QueueMode.ShutDown : _mode;
            return;
        }

        _mode = QueueMode.ShutDownImmediately;
        foreach (var item in _items.Values.Where(i => i.IsQueued).ToList())
        {
            Finish(item);
            _dropped++;
        }

        _queue.Clear();
    }

    private void ApplyRunStarted(long runNumber)
    {
        // A new batch run: producers and counts start afresh; requeued dead letters already queued stay.
        _runNumber = runNumber;
        _runFinished = false;
        _producers.Clear();
        _departedConsumers.Clear();
        foreach (var consumer in _consumers.Values)
        {
            consumer.Completed = 0; // the overview's figures are the run's
        }

        Array.Clear(_producersIn);
        _producersRegistered = 0;
        _accepted = _items.Count + _deadLetters.Count; // what carries over is this run's to settle, so the counts add up
        _completed = 0;
        _discarded = 0;
        _endedByOperator = false;
        _dropped = 0;
        _redelivered = 0;
        _duplicateAcks = 0;
        _mode = QueueMode.Open;
    }

    /// <summary>
    /// A new incarnation starts: whoever held a delivery belongs to the one before, so every item in
    /// flight is queued again (dropped after an immediate shutdown). Its deliveries stay remembered, so a
    /// late acknowledgement still counts once. It is part of the event, so a replay does the same.
    /// </summary>
    private void ReturnEveryDelivery()
    {
        foreach (var item in _items.Values.Where(i => !i.IsQueued).ToList())
        {
            // Queued again, so delivered again: counted redelivered like any other return (the summary's figure
            // is the journal's, replayed the same way). The queue's order is rebuilt once recovery completes.
            if (TakeBack(item))
            {
                _redelivered++;
            }
        }
    }

    private void PushBackUnlessRecovering(ItemState<TClient> item)
    {
        if (!_recovering)
        {
            _queue.PushBack(item);
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
        item.IsFinished = true;
        if (item.IsQueued)
        {
            _queued--; // its entry stays in the deque and is skipped there
            CompactQueueIfSparse();
        }
        else
        {
            _inFlight--;
            _deliveries.Remove(item.CurrentDelivery);
            _deadlines.Remove(item);
            if (item.Holder is { } holder)
            {
                holder.InFlight.Remove(item.CurrentDelivery);
                item.Holder = null;
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

    /// <summary>Puts a delivered item back at the head of the queue (dropped instead after an immediate shutdown).</summary>
    private void ReturnToQueue(ItemState<TClient> item)
    {
        if (!TakeBack(item))
        {
            return;
        }

        _redelivered++;
        if (!_recovering)
        {
            _queue.PushFront(item);
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
            JoinWaitingLine(holder);
        }

        _deadlines.Remove(item);
        Supersede(item);
        _inFlight--;
        _queued++;
        if (_mode != QueueMode.ShutDownImmediately)
        {
            return true;
        }

        Finish(item);
        _dropped++;
        return false;
    }
}
