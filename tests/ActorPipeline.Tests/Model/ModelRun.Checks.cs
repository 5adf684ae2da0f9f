using ActorPipeline.Coordinator;
using static ActorPipeline.Coordinator.Persistence.QueueEvents;
using static ActorPipeline.Coordinator.Protocol.JobProtocol;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Tests.Model;

internal sealed partial class ModelRun
{
    private ModelConsumer? _directShutDown;

    private void ObserveAndCheck()
    {
        var directShutDownSeen = false;
        foreach (var (to, message, _) in _told)
        {
            switch (message)
            {
                case Delivery delivery:
                    ObserveDelivery(_consumers.Single(c => c.Client == to), delivery);
                    break;
                case DeliveredUpTo mark:
                    var marked = _consumers.Single(c => c.Client == to);
                    marked.LastSeen = Math.Max(marked.LastSeen, mark.LastDeliveryId);
                    break;
                case QueueShutDown:
                    Require(_mode != QueueMode.Open, () => $"{to} was told the queue is shut down; it is not");
                    var released = _consumers.Single(c => c.Client == to);
                    if (released == _directShutDown)
                    {
                        directShutDownSeen = true;
                    }
                    else
                    {
                        Require(_queue.Count == 0 && (!released.Windowed || Unfinished == 0), () => $"{to} released while items may still come");
                        released.Credits = 0;
                        released.Window = 0;
                    }

                    break;
            }
        }

        Require(_directShutDown is null || directShutDownSeen, () => $"{_directShutDown} was not told the queue is shut down");
        _directShutDown = null;
        AdmitParked();
        if (_joinPending && Unfinished == 0)
        {
            ExpectStored(_joiner, Joined.Instance);
            _joinPending = false;
        }

        if (_runJoinPending && RunComplete)
        {
            ExpectStored(_runJoiner, "RunCompleted");
            _runFinished = true;
            _runJoinPending = false;
        }

        SettleJobs();

        var told = _told.Where(t => t.Message is not (Delivery or QueueShutDown)).Select(Describe).Order(StringComparer.Ordinal).ToList();
        var expected = _expected.Order(StringComparer.Ordinal).ToList();
        Require(told.SequenceEqual(expected), () => $"replies differ:\n    told     [{string.Join("; ", told)}]\n    expected [{string.Join("; ", expected)}]");
        Require(
            _told.Where(t => t.Message is Delivery or QueueShutDown).All(t => !t.Stored),
            () => "a delivery or a shutdown notice waited for the journal: it reports nothing journaled, and a consumer must not wait on a write");
        var watched = _watched.Select(c => c.ToString()).Order(StringComparer.Ordinal).ToList();
        var expectedWatches = _expectedWatches.Select(c => c.ToString()).Order(StringComparer.Ordinal).ToList();
        Require(watched.SequenceEqual(expectedWatches), () => $"watches differ:\n    watched  [{string.Join("; ", watched)}]\n    expected [{string.Join("; ", expectedWatches)}]");
        CheckCounts();
        CheckJobs();
        CheckNothingWaitsNeedlessly();
        CheckRecoveryRebuildsTheState();
        CheckBounds();
    }

    private void ObserveDelivery(ModelConsumer consumer, Delivery delivery)
    {
        Require(_known.Contains(consumer), () => $"{consumer.Client} got a delivery it never asked for");
        Require(delivery.Items.Count is >= 1 and <= MaxDeliveryBatch, () => $"a delivery of {delivery.Items.Count} items (batch limit {MaxDeliveryBatch})");
        foreach (var delivered in delivery.Items)
        {
            Require(delivered.DeliveryId > _lastDeliveryId, () => $"delivery id {delivered.DeliveryId} is not above {_lastDeliveryId}");
            _lastDeliveryId = delivered.DeliveryId;
            if (_queue.Count == 0)
            {
                AdmitParked(); // room freed within the step lets a parked putter in before this delivery
            }

            var label = LabelOf(delivered.Item);
            var item = _queue.Take(); // the head of the queue of the job whose turn it is
            Require(item is not null && item.Label == label, () => $"{consumer.Client} got item {label} (job {_byLabel.GetValueOrDefault(label)?.Job.Id}); the model's turn gives {(item is null ? "nothing" : $"{item.Label} of job {item.Job.Id}")}");
            if (consumer.Windowed)
            {
                Require(HeldBy(consumer).Count < consumer.Window, () => $"{consumer.Client} got more than its window of {consumer.Window}");
            }
            else if (_nowaitBudget > 0)
            {
                _nowaitBudget--;
            }
            else
            {
                Require(consumer.Credits > 0, () => $"{consumer.Client} got an item without a credit");
                consumer.Credits--;
            }

            item!.Status = ModelItemStatus.InFlight;
            item.Holder = consumer;
            item.Current = delivered.DeliveryId;
            item.DeliveredAt = _time.GetTimestamp();
            item.LeaseOrder = ++_leaseOrder;
            item.Known.Add(delivered.DeliveryId);
            if (item.Known.Count > ItemState<ModelClient>.MaxKnownDeliveries)
            {
                item.Known.RemoveAt(0);
            }

            _issued[delivered.DeliveryId] = item;
            consumer.LastDelivered = delivered.DeliveryId;
            if (!consumer.LoseNextDelivery)
            {
                consumer.Held.Add(delivered.DeliveryId);
                consumer.LastSeen = Math.Max(consumer.LastSeen, delivered.DeliveryId);
            }
        }

        consumer.LoseNextDelivery = false; // the whole message was lost, or none of it
    }

    private void CheckCounts()
    {
        var status = _state.Status();
        var inFlight = _byLabel.Values.Count(i => i.Status == ModelItemStatus.InFlight);
        var actual = (status.Size, status.InFlight, status.Accepted, status.Completed, status.DeadLettered, status.Discarded, status.Dropped, status.Redelivered, status.DuplicateAcks, status.ParkedPuts);
        var model = (_queue.Count, inFlight, _accepted, _completed, DeadNow, _discarded, _dropped, _redelivered, _duplicates, _parked.Count);
        Require(actual == model, () => $"counts (size, in flight, accepted, completed, dead-lettered, discarded, dropped, redelivered, duplicate acks, parked puts): state {actual}, model {model}");

        // The identity the summary, the page and the metrics show, after every step (a requeue must not count an item twice).
        Require(
            status.Accepted == status.Completed + status.DeadLettered + status.Discarded + status.Dropped + status.Unfinished,
            () => $"accepted {status.Accepted} is not completed {status.Completed} + dead-lettered {status.DeadLettered} + discarded {status.Discarded} + dropped {status.Dropped} + unfinished {status.Unfinished}");
        Require(status.EndedByOperator == _endedByOperator, () => $"ended by operator: state {status.EndedByOperator}, model {_endedByOperator}");
        var producers = (status.ProducersRegistered, status.ProducersDone, status.ProducersLost);
        var modelProducers = (_producers.Count(p => p.Registered), _producers.Count(p => p.Phase == ModelProducerPhase.Done), _producers.Count(p => p.Phase == ModelProducerPhase.Lost));
        Require(producers == modelProducers, () => $"producers (registered, done, lost): state {producers}, model {modelProducers}");
        Require(_state.IsRunComplete == RunComplete, () => $"run complete: state {_state.IsRunComplete}, model {RunComplete}");
    }

    private void CheckNothingWaitsNeedlessly()
    {
        if (Capacity > 0)
        {
            // Items handed back go to the head whatever the room (asyncio has no such case); puts never fill past it.
            // Counted in the state's own snapshot: an item never delivered is one a put admitted.
            var fresh = _state.Snapshot().Items.Count(i => i.CurrentDelivery == 0 && i.Deliveries == 0);
            Require(fresh <= Capacity, () => $"the state holds {fresh} items put and never delivered, over the capacity of {Capacity}");
        }

        // The state's own word, after the Settle the shell runs after every message: nobody waits who could go.
        var needless = _state.NeedlessWaits().ToList();
        Require(needless.Count == 0, () => $"after settling, {string.Join("; ", needless)}");

        if (_queue.Count == 0)
        {
            return;
        }

        // And the model's: each consumer's room as the model counts it (credits spent, window held) is used up.
        foreach (var consumer in _known.Where(c => !_released.Contains(c)))
        {
            var room = consumer.Windowed ? consumer.Window - HeldBy(consumer).Count : consumer.Credits;
            Require(room <= 0, () => $"{consumer.Client} could take {room} more while {_queue.Count} items wait");
        }
    }

    /// <summary>The state rebuilt from the journal, and from the last snapshot plus the events after it, is the live state.</summary>
    private void CheckRecoveryRebuildsTheState()
    {
        var live = Describe(_state.Snapshot());
        var fromEvents = Describe(Rebuild(fromSnapshot: false).Snapshot());
        Require(fromEvents == live, () => $"the state rebuilt from the journal differs:\n--- live\n{live}\n--- rebuilt\n{fromEvents}");
        var liveJobs = DescribeJobs(_state.Jobs());
        var jobsFromEvents = DescribeJobs(Rebuild(fromSnapshot: false).Jobs());
        Require(jobsFromEvents == liveJobs, () => $"the jobs rebuilt from the journal differ:\n--- live\n{liveJobs}\n--- rebuilt\n{jobsFromEvents}");
        if (_snapshot is not null)
        {
            var fromSnapshot = Rebuild(fromSnapshot: true);
            var described = Describe(fromSnapshot.Snapshot());
            Require(described == live, () => $"the state rebuilt from the snapshot differs:\n--- live\n{live}\n--- rebuilt\n{described}");
            var jobsFromSnapshot = DescribeJobs(fromSnapshot.Jobs());
            Require(jobsFromSnapshot == liveJobs, () => $"the jobs rebuilt from the snapshot differ:\n--- live\n{liveJobs}\n--- rebuilt\n{jobsFromSnapshot}");
        }
    }

    private void CheckBounds()
    {
        var sizes = _state.StructureSizes;
        var unfinished = (int)Unfinished;
        var limits = new Dictionary<string, int>
        {
            ["items"] = unfinished,
            ["deliveries"] = unfinished * ItemState<ModelClient>.MaxKnownDeliveries,
            ["deadlines"] = unfinished,
            ["waitingGetters"] = _consumers.Length,
            ["parkedPuts"] = _putters.Length,
            ["parkedKeys"] = _putters.Length,
            ["joiners"] = 2,
            ["consumerInFlight"] = unfinished,
            ["queue"] = (2 * _queue.Count) + (65 * _jobs.Count), // per job: its queued items, skipped entries up to as many again plus 64
            ["jobs"] = _jobs.Count, // the run's, those open or closed, and those settled and not yet past their retention
            ["jobJoiners"] = _jobs.Values.Count(j => j.JoinPending),
        };
        foreach (var (name, size) in sizes)
        {
            Require(size <= limits[name], () => $"{name} holds {size}, over its bound of {limits[name]} for {unfinished} unfinished items");
        }
    }

    private CoordinatorState<ModelClient> Rebuild(bool fromSnapshot)
    {
        var state = NewState();
        var from = 0;
        if (fromSnapshot && _snapshot is { } saved)
        {
            state.Restore(saved.Snapshot);
            from = saved.JournalIndex;
        }

        for (var i = from; i < _journal.Count; i++)
        {
            state.Apply(_journal[i]);
        }

        return state;
    }

    private static string Describe(CoordinatorSnapshot s) => string.Join(
        "\n",
        [
            s.Totals.ToString(),
            .. s.Items.Select(i => $"item {i.Id} {i.Item.Hex} [{string.Join(",", i.DeliveryIds)}] current {i.CurrentDelivery} job {i.Job}"),
            .. s.Producers.Select(p => p.ToString()),
            .. s.DeadLetters.Select(d => $"dead {d.ItemId} {d.DeliveryId} {d.Item.Hex} {d.Attempts} {d.Error} job {d.Job}"),
            .. s.Jobs.Select(j => $"job {j.Id} {j.Name} w{j.Weight} {j.Phase} opened {(j.Id == JobIds.Run ? "(start)" : At(j.OpenedAt))} closed {At(j.ClosedAt)} settled {At(j.SettledAt)} "
                + $"accepted {j.Accepted} completed {j.Completed} dead {j.DeadLettered} discarded {j.Discarded} dropped {j.Dropped} [{string.Join(",", j.Producers.Select(p => $"{p.ProducerId}={p.Accepted}"))}]"),
        ]);
}
