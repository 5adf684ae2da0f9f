using static ActorPipeline.Coordinator.Persistence.QueueEvents;

namespace ActorPipeline.Coordinator.State;

internal sealed partial class CoordinatorState<TClient>
{
    /// <summary>The journaled state after every event applied so far: what recovery from this snapshot rebuilds.</summary>
    public CoordinatorSnapshot Snapshot() => new(
        _runNumber, _runFinished, _incarnation, _lastItemId, _lastDeliveryId, _accepted, _completed, _dropped,
        _redelivered, _duplicateAcks,
        _mode != QueueMode.Open, _mode == QueueMode.ShutDownImmediately,
        [.. _items.Values.OrderBy(i => i.Id).Select(i => new SnapshotItem(i.Id, i.Item, DeliveryIdsOf(i), i.CurrentDelivery, i.Deliveries))],
        [.. _producers.Values.Where(p => p.IsJournaled).OrderBy(p => p.Id, StringComparer.Ordinal).Select(p => new SnapshotProducer(
            p.Id, p.HighestAccepted, p.Accepted, p.IsAnnounced, p.Phase == ProducerPhase.Done, p.Phase == ProducerPhase.Lost,
            p.PartialSequenceNr, p.PartialAdmitted, p.Node, p.NodeProducers, p.Phase == ProducerPhase.Stopped))],
        DeadLettersInOrder(),
        _discarded,
        _endedByOperator);

    /// <summary>Restores a snapshot in recovery; the events after it are applied next.</summary>
    public void Restore(CoordinatorSnapshot snapshot)
    {
        _runNumber = snapshot.RunNumber;
        _runFinished = snapshot.RunFinished;
        _incarnation = snapshot.Incarnation;
        _lastItemId = snapshot.LastItemId;
        _lastDeliveryId = snapshot.LastDeliveryId;
        _accepted = snapshot.Accepted;
        _completed = snapshot.Completed;
        _dropped = snapshot.Dropped;
        _redelivered = snapshot.Redelivered;
        _duplicateAcks = snapshot.DuplicateAcks;
        _discarded = snapshot.Discarded;
        _endedByOperator = snapshot.EndedByOperator;
        _mode = snapshot.ShutDownImmediately ? QueueMode.ShutDownImmediately : snapshot.ShutDown ? QueueMode.ShutDown : QueueMode.Open;
        foreach (var saved in snapshot.Items)
        {
            // An older snapshot may remember more deliveries than an item keeps now: the newest are kept.
            var ids = saved.DeliveryIds.Skip(Math.Max(0, saved.DeliveryIds.Count - ItemState<TClient>.MaxKnownDeliveries)).ToList();
            // A snapshot from before delivery counts were kept: at least one per delivery it remembers.
            var item = new ItemState<TClient>(saved.Id, saved.Item) { Deliveries = Math.Max(saved.Deliveries, saved.DeliveryIds.Count) };
            if (saved.CurrentDelivery != 0 && ids.Remove(saved.CurrentDelivery))
            {
                item.CurrentDelivery = saved.CurrentDelivery; // in flight, held by nobody until recovery completes
                _inFlight++;
            }
            else
            {
                _queued++;
            }

            item.Superseded = ids.Count == 0 ? null : ids;
            _items.Add(saved.Id, item);
            if (!item.IsQueued)
            {
                _deliveries[item.CurrentDelivery] = item;
            }

            foreach (var deliveryId in ids)
            {
                _deliveries[deliveryId] = item;
            }
        }

        foreach (var saved in snapshot.Producers)
        {
            var producer = ProducerFor(saved.Id);
            producer.HighestAccepted = saved.HighestAccepted;
            producer.Accepted = saved.Accepted;
            producer.PartialSequenceNr = saved.PartialSequenceNr;
            producer.PartialAdmitted = saved.PartialAdmitted;
            if (saved.Announced)
            {
                producer.IsAnnounced = true;
                _producersRegistered++;
                CountOnNode(producer, saved.Node, saved.NodeProducers);
            }

            MoveTo(producer, saved.Done ? ProducerPhase.Done : saved.Lost ? ProducerPhase.Lost : saved.Stopped ? ProducerPhase.Stopped : saved.Announced ? ProducerPhase.Active : ProducerPhase.Unregistered);
        }

        foreach (var dead in snapshot.DeadLetters)
        {
            _deadLetters[dead.ItemId] = dead;
        }
    }

    private static List<long> DeliveryIdsOf(ItemState<TClient> item)
    {
        var ids = new List<long>(item.Superseded ?? []);
        if (!item.IsQueued)
        {
            ids.Add(item.CurrentDelivery);
        }

        return ids;
    }
}
