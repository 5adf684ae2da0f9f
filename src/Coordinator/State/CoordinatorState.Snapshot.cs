using static ActorPipeline.Coordinator.Persistence.QueueEvents;
using static ActorPipeline.Coordinator.Protocol.JobProtocol;

namespace ActorPipeline.Coordinator.State;

internal sealed partial class CoordinatorState<TClient>
{
    /// <summary>The journaled state after every event applied so far: what recovery from this snapshot rebuilds.</summary>
    public CoordinatorSnapshot Snapshot() => new(
        _totals,
        [.. _items.Values.OrderBy(i => i.Id).Select(i => new SnapshotItem(i.Id, i.Item, DeliveryIdsOf(i), i.CurrentDelivery, i.Deliveries, i.Job.Id))],
        [.. _producers.Values.Where(p => p.IsJournaled).OrderBy(p => p.Id, StringComparer.Ordinal).Select(p => new SnapshotProducer(
            p.Id, p.HighestAccepted, p.Accepted, p.IsAnnounced, p.Phase, p.PartialSequenceNr, p.PartialAdmitted, p.Node, p.NodeProducers, p.Job))],
        DeadLettersInOrder(),
        [.. _jobs.Values.OrderBy(j => j.Id, StringComparer.Ordinal).Select(j => new SnapshotJob(
            j.Id, j.Name, j.Weight, j.Phase, j.OpenedAt, j.ClosedAt, j.SettledAt, j.Accepted, j.Completed, j.DeadLettered, j.Discarded, j.Dropped,
            [.. j.Producers.Select(p => new JobProducer(p.Key, p.Value))]))]);

    /// <summary>
    /// Restores a snapshot in recovery, before the events after it are applied. It writes nothing itself: the
    /// totals come back as the value the snapshot copied, and items and producers are rebuilt by the steps
    /// <see cref="Apply"/> takes (an item added, then handed out under its remembered deliveries; a producer announced).
    /// </summary>
    public void Restore(CoordinatorSnapshot snapshot)
    {
        _totals = snapshot.Totals;

        // Jobs first, so items find theirs. Their queued and in-flight counts are not copied: adding the items rebuilds them.
        foreach (var saved in snapshot.Jobs)
        {
            var job = saved.Id == JobIds.Run ? _runJob : new JobState<TClient>(saved.Id, saved.Name, saved.Weight, saved.OpenedAt);
            _jobs[job.Id] = job;
            job.Phase = saved.Phase;
            job.ClosedAt = saved.ClosedAt;
            job.SettledAt = saved.SettledAt;
            job.Accepted = saved.Accepted;
            job.Completed = saved.Completed;
            job.DeadLettered = saved.DeadLettered;
            job.Discarded = saved.Discarded;
            job.Dropped = saved.Dropped;
            foreach (var producer in saved.Producers)
            {
                job.Producers[producer.ProducerId] = producer.Accepted;
            }

            if (job.Phase == JobPhase.Closed)
            {
                _closing.Add(job);
            }
        }

        if (snapshot.Jobs.Count == 0)
        {
            // A snapshot from before jobs: everything in it is the run's.
            _runJob.Accepted = snapshot.Totals.Accepted;
            _runJob.Completed = snapshot.Totals.Completed;
            _runJob.DeadLettered = snapshot.DeadLetters.Count;
            _runJob.Discarded = snapshot.Totals.Discarded;
            _runJob.Dropped = snapshot.Totals.Dropped;
        }

        foreach (var saved in snapshot.Items)
        {
            // A snapshot from before delivery counts were kept: at least one per delivery it remembers.
            var item = new ItemState<TClient>(saved.Id, saved.Item, JobNamed(saved.Job)) { Deliveries = Math.Max(saved.Deliveries, saved.DeliveryIds.Count) };
            AddItem(item);
            foreach (var deliveryId in saved.DeliveryIds.Where(id => id != saved.CurrentDelivery))
            {
                RememberSuperseded(item, deliveryId);
            }

            if (saved.CurrentDelivery != 0 && saved.DeliveryIds.Contains(saved.CurrentDelivery))
            {
                HandOut(item, saved.CurrentDelivery); // in flight, held by nobody until recovery completes
            }
        }

        foreach (var saved in snapshot.Producers)
        {
            var producer = ProducerFor(saved.Id);
            producer.HighestAccepted = saved.HighestAccepted;
            producer.Accepted = saved.Accepted;
            producer.PartialSequenceNr = saved.PartialSequenceNr;
            producer.PartialAdmitted = saved.PartialAdmitted;
            producer.Job = saved.Job;
            if (saved.Announced)
            {
                Announce(producer, saved.Node, saved.NodeProducers);
            }

            MoveTo(producer, saved.Phase);
        }

        foreach (var dead in snapshot.DeadLetters)
        {
            _deadLetters[dead.ItemId] = dead;
        }
    }

    /// <summary>
    /// An earlier delivery of the item, remembered so that a late ack for it still counts once. An older snapshot
    /// may remember more than an item keeps now: the newest are kept.
    /// </summary>
    private void RememberSuperseded(ItemState<TClient> item, long deliveryId)
    {
        (item.Superseded ??= []).Add(deliveryId);
        _deliveries[deliveryId] = item;
        if (item.Superseded.Count > ItemState<TClient>.MaxKnownDeliveries)
        {
            _deliveries.Remove(item.Superseded[0]);
            item.Superseded.RemoveAt(0);
        }
    }

    private static List<long> DeliveryIdsOf(ItemState<TClient> item)
    {
        var ids = new List<long>(item.Superseded ?? []);
        if (item.Place == ItemPlace.InFlight)
        {
            ids.Add(item.CurrentDelivery);
        }

        return ids;
    }
}
