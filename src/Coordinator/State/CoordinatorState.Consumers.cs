using Microsoft.Extensions.Logging;
using static ActorPipeline.Coordinator.Persistence.QueueEvents;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Coordinator.State;

internal sealed partial class CoordinatorState<TClient>
{
    public void Get(TClient from, Get get)
    {
        if (get.Credits <= 0)
        {
            _log.NonPositiveCredits(get.Credits, from.ToString() ?? string.Empty);
            return;
        }

        var consumer = ConsumerFor(from);
        consumer.Mode = ConsumerMode.Credits;
        if (!get.Wait)
        {
            if (_queued == 0)
            {
                Tell(from, IsShutDown ? QueueShutDown.Instance : QueueEmpty.Instance);
                return;
            }

            // get_nowait takes what is there now, in messages no larger than the remoting frame is sized for.
            for (var left = Math.Min(get.Credits, _queued); left > 0;)
            {
                var batch = Math.Min(left, _options.MaxDeliveryBatch);
                Deliver(consumer, batch, spendCredits: false);
                left -= batch;
            }

            return;
        }

        if (IsShutDown && _queued == 0)
        {
            Tell(from, QueueShutDown.Instance);
            return;
        }

        consumer.Credits = (int)Math.Min(int.MaxValue, (long)consumer.Credits + get.Credits);
        EnterWaitingLine(consumer);
    }

    public void RequestWork(TClient from, RequestWork request)
    {
        if (request.Window < 0)
        {
            _log.NonPositiveCredits(request.Window, from.ToString() ?? string.Empty);
            return;
        }

        var consumer = ConsumerFor(from);
        consumer.Mode = ConsumerMode.Window;
        consumer.Window = request.Window;
        RepairLostMessages(consumer, request);
        RenewLeases(consumer, request.Held);
        if (IsShutDown && Unfinished == 0)
        {
            Tell(from, QueueShutDown.Instance);
        }
        else
        {
            EnterWaitingLine(consumer);
        }
    }

    public void CancelGet(TClient from)
    {
        var credits = 0;
        if (_consumers.TryGetValue(from, out var consumer))
        {
            credits = consumer.Credits;
            consumer.Credits = 0; // it leaves the waiting line lazily, when Dispatch reaches it
        }

        Tell(from, new GetCancelled(credits));
    }

    public void TaskDone(TClient from, TaskDone done)
    {
        List<long>? completed = null;
        var duplicates = 0L;
        _scratch.Clear();
        foreach (var id in done.DeliveryIds)
        {
            if (_deliveries.TryGetValue(id, out var item) && _scratch.Add(item.Id))
            {
                (completed ??= []).Add(item.Id);
                if (item.CurrentDelivery != id)
                {
                    // Fencing: a delivery that expired or was handed back still completes its unfinished item, once;
                    // the item's current delivery then counts as a duplicate when its task_done comes.
                    _log.LateCompletion(item.Id, id);
                }
            }
            else if (CouldHaveBeenIssued(id))
            {
                duplicates++; // its item was completed through this or another delivery already
            }
            else
            {
                // asyncio raises ValueError for a task_done without a get; nothing is counted.
                Tell(from, new TaskDoneRejected(id, $"task_done() for delivery {id}, which was never made."));
            }
        }

        if (completed is not null)
        {
            Record(new ItemsCompleted(completed));
            _metrics?.Completed.Add(completed.Count);
        }

        CountDuplicates(duplicates);
    }

    public void Release(TClient from, Release release)
    {
        List<long>? back = null;
        foreach (var id in release.DeliveryIds)
        {
            if (_deliveries.TryGetValue(id, out var item) && item.CurrentDelivery == id)
            {
                (back ??= []).Add(id);
            }
            else
            {
                _log.UnknownRelease(id, from.ToString() ?? string.Empty);
            }
        }

        if (back is not null)
        {
            Record(new ItemsRequeued(back));
        }
    }

    public void TaskFailed(TClient from, TaskFailed failed)
    {
        // Only the current delivery may dead-letter its item: a failure reported for a delivery that
        // timed out meanwhile must not overrule the consumer that holds the item now.
        if (!_deliveries.TryGetValue(failed.DeliveryId, out var item) || item.CurrentDelivery != failed.DeliveryId)
        {
            if (CouldHaveBeenIssued(failed.DeliveryId))
            {
                CountDuplicates(1);
            }
            else
            {
                Tell(from, new TaskDoneRejected(failed.DeliveryId, $"Delivery {failed.DeliveryId} was never made; it cannot be dead-lettered."));
            }

            return;
        }

        Record(new ItemDeadLettered(item.Id, failed.DeliveryId, failed.Attempts, failed.Error));
        _metrics?.DeadLettered.Add(1);
        _log.DeadLettered(_formatter.Describe(item.Item), failed.DeliveryId, failed.Attempts, failed.Error);
    }

    private void CountDuplicates(long duplicates)
    {
        if (duplicates > 0)
        {
            Record(new AcksIgnored(duplicates));
            _metrics?.DuplicateAcks.Add(duplicates);
        }
    }

    /// <summary>
    /// Leases: a consumer repeats its request well inside the ack timeout while it holds anything, and
    /// every delivery it names that is still its own gets a fresh deadline. An item is therefore queued
    /// again only when its consumer is gone, cut off or stuck (it stops naming an item whose handler
    /// overran its hard limit), never because its work is long. Deadlines are live state, not journaled.
    /// </summary>
    private void RenewLeases(ConsumerState<TClient> consumer, IReadOnlyList<long> held)
    {
        if (held.Count == 0 || consumer.InFlight.Count == 0)
        {
            return;
        }

        var now = _time.GetTimestamp();
        foreach (var id in held)
        {
            if (!_deliveries.TryGetValue(id, out var item) || item.CurrentDelivery != id || item.Holder != consumer)
            {
                continue;
            }

            if (!_outlivedAckTimeoutWarned && now - item.DeliveredAt >= _ackTimeoutTicks)
            {
                // Once per incarnation: long work is fine (its lease is renewed), but a consumer of an older
                // release would not renew it, and the setting is what an operator would look for.
                _outlivedAckTimeoutWarned = true;
                _log.WorkOutlivesAckTimeout(item.Id, _options.AckTimeout);
            }

            _deadlines.Add(item, now + _ackTimeoutTicks); // moves it to the newest end: every renewal gets the same timeout
        }
    }

    /// <summary>
    /// A windowed consumer's request says what it holds and how far it has seen; what the coordinator
    /// counts as held by it, at or below that point and not held, had its reply (or itself) lost on the
    /// way, because messages between two actors keep their order. Those items are queued again at once
    /// instead of after the ack timeout; a mark tells the consumer how far deliveries went, so that a
    /// lost last delivery shows in its next request.
    /// </summary>
    private void RepairLostMessages(ConsumerState<TClient> consumer, RequestWork request)
    {
        if (consumer.InFlight.Count == 0)
        {
            return;
        }

        var held = request.Held.Count <= 8 ? null : new HashSet<long>(request.Held);
        List<long>? lost = null;
        var unseen = false;
        foreach (var id in consumer.InFlight)
        {
            if (id > request.LastSeen)
            {
                unseen = true;
            }
            else if (!(held?.Contains(id) ?? request.Held.Contains(id)))
            {
                (lost ??= []).Add(id);
            }
        }

        if (lost is not null)
        {
            lost.Sort();
            _log.ConsumerMessagesLost(consumer.Ref.ToString() ?? string.Empty, lost.Count);
            Record(new ItemsRequeued(lost));
        }

        if (unseen)
        {
            Tell(consumer.Ref, new DeliveredUpTo(consumer.LastDelivered));
        }
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
                PreferIdleGetter();
                var consumer = _waitingGetters.PopFront();
                if (consumer.Available == 0 || !_consumers.ContainsKey(consumer.Ref))
                {
                    consumer.IsWaiting = false;
                    continue;
                }

                // A short queue is spread over the consumers waiting (asyncio hands each getter one item); a long one goes in full batches.
                var share = Math.Max(1, _queued / (_waitingGetters.Count + 1));
                Deliver(consumer, Math.Min(consumer.Available, Math.Min(share, _options.MaxDeliveryBatch)), spendCredits: consumer.Mode == ConsumerMode.Credits);
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

        if (IsShutDown && _queued == 0)
        {
            ReleaseWaitingGetters();
        }
    }

    /// <summary>
    /// Puts a waiting consumer that holds nothing at the head of the line, if the head holds something:
    /// with prefetch, a busy consumer has room too, and an item sent there would wait behind its work
    /// while another consumer sits idle (asyncio gives it to a getter that is free). Only the line of
    /// waiting consumers is scanned, and only while the head is busy.
    /// </summary>
    private void PreferIdleGetter()
    {
        if (_waitingGetters.PeekFront().InFlight.Count == 0)
        {
            return;
        }

        for (var i = 1; i < _waitingGetters.Count; i++)
        {
            var candidate = _waitingGetters[i];
            if (candidate.InFlight.Count == 0 && candidate.Available > 0)
            {
                _waitingGetters.MoveToFront(i);
                return;
            }
        }
    }

    private void Deliver(ConsumerState<TClient> consumer, int count, bool spendCredits)
    {
        _batch.Clear();
        var itemIds = new long[count];
        while (_batch.Count < count)
        {
            var entry = _ring.Take();
            itemIds[_batch.Count] = entry.Id;
            _batch.Add(entry);
        }

        var delivered = new ItemsDelivered(_totals.LastDeliveryId + 1, itemIds);
        Record(delivered);

        var now = _time.GetTimestamp();
        var deadline = now + _ackTimeoutTicks;
        var wallClock = _time.GetUtcNow().UtcDateTime;
        var items = new DeliveredItem[count];
        for (var i = 0; i < count; i++)
        {
            var item = _batch[i];
            if (item.NeverDelivered)
            {
                _latency.Record(wallClock - item.Item.PutAt, now);
            }

            item.Holder = consumer;
            item.DeliveredAt = now;
            consumer.InFlight.Add(item.CurrentDelivery);
            _deadlines.Add(item, deadline);
            items[i] = new DeliveredItem(item.CurrentDelivery, item.Item, item.Id, item.Deliveries);
        }

        _batch.Clear();
        consumer.LastDelivered = delivered.FirstDeliveryId + count - 1;
        if (spendCredits)
        {
            consumer.Credits = Math.Max(0, consumer.Credits - count);
        }

        Tell(consumer.Ref, new Delivery(items));
        _metrics?.Delivered.Add(count);
    }

    /// <summary>
    /// After a shutdown, asyncio-style getters are told as soon as nothing is queued; consumer actors
    /// (windows) only once nothing is in flight either, because an item in flight may still come back.
    /// </summary>
    private bool ReleasesNow(ConsumerState<TClient> consumer) => consumer.Mode == ConsumerMode.Credits || Unfinished == 0;

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
                Tell(consumer.Ref, QueueShutDown.Instance);
            }
        }
    }
}
