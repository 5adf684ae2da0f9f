using Microsoft.Extensions.Logging;
using static ActorPipeline.Coordinator.Persistence.QueueEvents;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Coordinator.State;

internal sealed partial class CoordinatorState<TClient>
{
    public void Join(TClient from)
    {
        if (Unfinished == 0)
        {
            TellWhenStored(from, Joined.Instance);
        }
        else if (_queueJoiners.Add(from))
        {
            Watch(from); // a joiner that stops is forgotten, not answered into the void
        }
    }

    public void JoinRun(TClient from)
    {
        if (IsRunComplete)
        {
            FinishRun();
            TellWhenStored(from, new RunCompleted(Status()));
        }
        else if (_runJoiners.Add(from))
        {
            Watch(from);
        }
    }

    public void Shutdown(TClient from, Shutdown shutdown)
    {
        var queuedBefore = _queued;
        Record(new ShutdownRequested(shutdown.Immediate));
        var dropped = queuedBefore - _queued;
        while (_parkedPuts.Count > 0)
        {
            var parked = _parkedPuts.PopFront();
            Tell(parked.Putter, new PutRejected(parked.Put.ProducerId, parked.Put.SequenceNr, PutRejection.ShutDown, parked.Admitted));
        }

        _parkedKeys.Clear();
        _log.ShutDown(shutdown.Immediate ? "immediate" : "graceful", dropped, _queued, _inFlight);
        TellWhenStored(from, new ShutdownAck(dropped));
    }

    public void GetDeadLetters(TClient from) => Tell(from, new DeadLetters(DeadLettersInOrder()));

    public void RequeueDeadLetters(TClient from, RequeueDeadLetters requeue)
    {
        // A settled job's dead letters are passed over: they are its report (its join was answered with them), and
        // a settled job takes no work again; the run's job is never settled this way, so its dead letters go back.
        List<long> ids = requeue.ItemIds.Count == 0
            ? [.. _deadLetters.Values.Where(IsRequeueable).Select(d => d.ItemId).Order()]
            : [.. requeue.ItemIds.Where(id => _deadLetters.TryGetValue(id, out var dead) && IsRequeueable(dead)).Distinct()];
        if (ids.Count > 0)
        {
            Record(new DeadLettersRequeued(ids)); // nothing to requeue journals nothing, as a discard of nothing
        }

        TellWhenStored(from, new DeadLettersRequeuedAck(ids.Count));
    }

    private bool IsRequeueable(DeadLetteredItem dead) => !JobNamed(dead.Job).IsSettled;

    /// <summary>
    /// The periodic check: deliveries past their ack deadline go back to the queue, and producers known
    /// only from the journal that stayed silent for <see cref="QueueOptions.ProducerTimeout"/> are lost.
    /// </summary>
    public void Tick()
    {
        var now = _time.GetTimestamp();
        List<long>? expired = null;
        for (var item = _deadlines.Oldest; item is not null && item.Deadline <= now; item = item.Later)
        {
            (expired ??= []).Add(item.CurrentDelivery);
        }

        if (expired is not null)
        {
            Record(new ItemsRequeued(expired));
            _log.DeliveriesExpired(expired.Count, _options.AckTimeout);
        }

        ReportGauges();
        var silenceLimit = (long)(_options.ProducerTimeout.TotalSeconds * _time.TimestampFrequency);
        foreach (var producer in _producers.Values.Where(p => p.IsActive && p.SilentSince is { } since && now - since >= silenceLimit).ToList())
        {
            _log.ProducerLost(producer.Id, producer.Accepted);
            Record(new ProducerLost(producer.Id));
        }

        WarnIfOnlyStoppedProducersRemain(now);
        ForgetOldJobs();
    }

    /// <summary>
    /// Once per incarnation: everything accepted is settled and nobody is producing, but producers stopped on
    /// request keep the run open. Nothing times them out (a stop is not a finish), so once that has lasted
    /// the producer timeout (time for a restarted node to register them again), the operator is told which
    /// they are and what to do, rather than left with a run that is silently idle.
    /// </summary>
    private void WarnIfOnlyStoppedProducersRemain(long now)
    {
        if (_producersIn[(int)ProducerPhase.Stopped] == 0 || Unfinished > 0 || _producersIn[(int)ProducerPhase.Active] > 0 || _totals.EndedByOperator)
        {
            _onlyStoppedSince = null;
            return;
        }

        _onlyStoppedSince ??= now;
        if (_waitingForStoppedWarned || _time.GetElapsedTime(_onlyStoppedSince.Value, now) < _options.ProducerTimeout)
        {
            return;
        }

        _waitingForStoppedWarned = true;
        var stopped = _producers.Values.Where(p => p.Phase == ProducerPhase.Stopped).Select(p => p.Id).Order(StringComparer.Ordinal).ToList();
        _log.WaitingForStoppedProducers(string.Join(", ", stopped.Take(10)) + (stopped.Count > 10 ? $" and {stopped.Count - 10} more" : string.Empty));
    }

    /// <summary>A client the shell watched has terminated (died or left, not a node's stop): what it held goes back, what it waited for is forgotten.</summary>
    public void ClientTerminated(TClient gone)
    {
        if (_parkedPuts.RemoveAll(p => p.Putter.Equals(gone)) > 0)
        {
            // What a cancelled putter had admitted stays accepted; its resend, if any, starts over.
            _parkedKeys.Clear();
            _parkedKeys.UnionWith(ParkedKeys());
        }

        _queueJoiners.Remove(gone);
        _runJoiners.Remove(gone);
        foreach (var job in _jobs.Values)
        {
            job.Joiners.Remove(gone);
        }

        var now = _time.GetTimestamp();
        foreach (var producer in _producers.Values.Where(p => gone.Equals(p.Ref) && p.IsActive))
        {
            // Its actor stopped (or its node left or died): it has the producer timeout to register again
            // from a restarted node, as after a restart of the coordinator; only then is it lost for good.
            producer.Ref = null;
            producer.SilentSince = now;
            _log.ProducerAway(producer.Id, _options.ProducerTimeout);
        }

        if (_consumers.Remove(gone, out var consumer))
        {
            _tally.Departed(consumer.Ref);
            consumer.Credits = 0;
            consumer.Window = 0;
            if (consumer.IsWaiting)
            {
                // Out of the line now rather than when a dispatch reaches it, so stopped consumers never pile up there.
                _waitingGetters.RemoveAll(waiting => waiting == consumer);
                consumer.IsWaiting = false;
            }

            if (consumer.InFlight.Count > 0)
            {
                // A stopped consumer costs time, never items: what it held goes back to the head, oldest first.
                List<long> held = [.. consumer.InFlight.Order()];
                Record(new ItemsRequeued(held));
                _log.ConsumerLostItems(gone.ToString() ?? string.Empty, held.Count);
            }
        }
    }

    /// <summary>A progress event: how far the run is, how fast it goes, when it may end. Silent when nothing changed.</summary>
    public void ReportProgress()
    {
        var finished = _totals.Completed + _deadLetters.Count + _totals.Discarded;
        if (finished == _progressFinished && _totals.Accepted == _progressAccepted)
        {
            return;
        }

        var now = _time.GetTimestamp();
        var rate = _progressFinished < 0 ? 0 : (finished - _progressFinished) / Math.Max(1e-3, _time.GetElapsedTime(_progressAt, now).TotalSeconds);
        var eta = Unfinished == 0 ? TimeSpan.Zero : rate > 0 ? TimeSpan.FromSeconds(Math.Round(Unfinished / rate)) : (TimeSpan?)null;
        var active = _producersIn[(int)ProducerPhase.Active];
        var producing = active + Math.Max(0, ProducersKnown - _producersIn[(int)ProducerPhase.Done] - _producersIn[(int)ProducerPhase.Lost] - _producersIn[(int)ProducerPhase.Stopped] - active);
        _log.Progress(
            finished, _totals.Accepted, Math.Round(rate, 1), Unfinished, Math.Round(OldestWaitingAge().TotalSeconds, 1),
            producing, eta is { } known && producing == 0 ? known.ToString() : "unknown");
        (_progressFinished, _progressAccepted, _progressAt) = (finished, _totals.Accepted, now);
    }

    /// <summary>Reports the queue's gauges to the metrics, if any.</summary>
    public void ReportGauges()
    {
        _metrics?.ReportQueue(_queued, Unfinished, OldestWaiting(), _consumers.Count, _producersIn[(int)ProducerPhase.Active]);
        _metrics?.ReportRun(_totals.Accepted, _totals.Completed, _deadLetters.Count, _totals.Discarded, _totals.Dropped, Unfinished);
        if (_metrics is not null)
        {
            // Every job (the metrics bound the labels themselves), without dead letters, and unsorted: order is theirs to choose.
            _metrics.ReportJobs([.. _jobs.Values.Select(j => StatusOf(j, withDeadLetters: false))]);
        }
    }

    /// <summary>
    /// Ends recovery. A new incarnation starts, which queues again every item that was in flight (see
    /// <see cref="ReturnEveryDelivery"/>), and a new run if the last one finished. The queue's order is
    /// then rebuilt: unfinished items oldest first. <paramref name="offline"/> (an operator command on a
    /// stopped service) sees the state the next start will see, but journals nothing of its own: the
    /// incarnation is applied, not recorded, so a command that only reads writes nothing.
    /// </summary>
    public void CompleteRecovery(bool offline)
    {
        if (offline)
        {
            Apply(new IncarnationStarted(_totals.Incarnation + 1));
        }
        else
        {
            var now = _time.GetTimestamp();
            foreach (var producer in _producers.Values.Where(p => p.IsActive))
            {
                producer.SilentSince = now; // it must be heard from again, or it counts as lost
            }

            if (_producersRegistered > 0)
            {
                StartJoinWindow(); // nodes not yet joined get the window again after a restart of the coordinator
            }

            // The incarnation first: what comes back from the last one is dropped if that run ended in an immediate shutdown.
            Record(new IncarnationStarted(_totals.Incarnation + 1));
            if (_totals.RunFinished)
            {
                // Said, since a node killed just after its run ended is started again to finish what it thinks is
                // the same run: its producers put anew, into the next run.
                var finished = _totals.RunNumber;
                Record(new RunStarted(finished + 1));
                _log.NextRunBegins(finished, finished + 1);
            }

            if (_items.Count > 0 || _producers.Count > 0)
            {
                _log.Recovered(_totals.RunNumber, _items.Count, _producers.Count, _deadLetters.Count);
            }
        }

        _recovering = false;
        _ring.Clear(_jobs.Values);
        foreach (var item in _items.Values.Where(i => i.Place == ItemPlace.Queued).OrderBy(i => i.Id))
        {
            _ring.PushBack(item);
        }
    }

    /// <summary>
    /// The step after every command, taken by the shell once per message so that no command can forget it:
    /// queued items go to the consumers waiting for them and freed room to parked putters, joiners whose wait
    /// is over are answered, and a complete run is finished for those who joined it.
    /// </summary>
    public void Settle()
    {
        Dispatch();
        SettleJobs();
        AnswerJoinersIfDone();
    }

    // "All done" is answered only once the completions that made it so are stored: a joiner told the work is
    // done must never see it come back after a crash (with nothing unwritten the answer goes at once).
    private void AnswerJoinersIfDone()
    {
        if (Unfinished == 0 && _queueJoiners.Count > 0)
        {
            foreach (var joiner in _queueJoiners)
            {
                TellWhenStored(joiner, Joined.Instance);
            }

            _queueJoiners.Clear();
        }

        if (_runJoiners.Count > 0 && IsRunComplete)
        {
            FinishRun();
            var completed = new RunCompleted(Status());
            foreach (var joiner in _runJoiners)
            {
                TellWhenStored(joiner, completed);
            }

            _runJoiners.Clear();
        }

        if (_runJob.Joiners.Count > 0 && IsRunComplete)
        {
            FinishRun();
            AnswerJobJoiners(_runJob);
        }
    }

    /// <summary>Journals the end of the run once, so the next start begins a new one.</summary>
    private void FinishRun()
    {
        if (!_totals.RunFinished)
        {
            // The last progress event now, before the summary, rather than from the timer after the node has said it is done.
            ReportProgress();
            Record(new RunFinished(_totals.RunNumber));
            ReportGauges(); // the tick may not come again before the node leaves
        }
    }

    private IEnumerable<(string, long)> ParkedKeys()
    {
        for (var i = 0; i < _parkedPuts.Count; i++)
        {
            yield return (_parkedPuts[i].Put.ProducerId, _parkedPuts[i].Put.SequenceNr);
        }
    }

    private List<DeadLetteredItem> DeadLettersInOrder() => [.. _deadLetters.Values.OrderBy(d => d.ItemId)];

    private TimeSpan OldestWaitingAge() => OldestWaiting() is { } putAt ? _time.GetUtcNow().UtcDateTime - putAt : TimeSpan.Zero;

    private DateTime? OldestWaiting() => _ring.OldestPutAt();
}
