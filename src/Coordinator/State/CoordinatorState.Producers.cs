using Microsoft.Extensions.Logging;
using static ActorPipeline.Coordinator.Persistence.QueueEvents;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Coordinator.State;

internal sealed partial class CoordinatorState<TClient>
{
    public void Put(TClient from, Put put)
    {
        var producer = Heard(from, put.ProducerId);
        if (put.SequenceNr <= producer.HighestAccepted)
        {
            // A resend whose acknowledgement was lost (even if the queue shut down since): answered again once its acceptance is stored.
            TellWhenStored(from, new PutAccepted(put.ProducerId, put.SequenceNr, put.Items.Count));
            return;
        }

        if (!_jobs.TryGetValue(put.Job, out var job))
        {
            _log.PutIntoUnknownJob(put.ProducerId, put.SequenceNr, put.Job);
            Tell(from, new PutRejected(put.ProducerId, put.SequenceNr, PutRejection.NoSuchJob, 0));
            return;
        }

        if (job.Phase != JobPhase.Open || (producer.Job is { } own && own != job.Id))
        {
            // Closed for adding (or cancelled, or settled); or a producer id that put into another job: its
            // sequence numbers are that job's, so nothing it puts here could be told apart from a resend.
            _log.PutIntoClosedJob(put.ProducerId, put.SequenceNr, put.Job, producer.Job ?? put.Job);
            Tell(from, new PutRejected(put.ProducerId, put.SequenceNr, PutRejection.JobClosed, 0));
            return;
        }

        if (job == _runJob)
        {
            if (RefusedByTheRun(from, put))
            {
                return;
            }
        }
        else if (IsShutDown)
        {
            Tell(from, new PutRejected(put.ProducerId, put.SequenceNr, PutRejection.ShutDown, 0));
            return;
        }

        if (_parkedKeys.Contains((put.ProducerId, put.SequenceNr)))
        {
            return; // a resend of a put still waiting for room: it is answered when it is in
        }

        if (OversizedItem(put) is { } oversized)
        {
            // Refused whole before anything is admitted, so the producer knows exactly what is in.
            _log.ItemTooLarge(put.ProducerId, put.SequenceNr, oversized, _options.MaxItemBytes);
            Tell(from, new PutRejected(put.ProducerId, put.SequenceNr, PutRejection.TooLarge, 0));
            return;
        }

        if (producer.Phase == ProducerPhase.Lost)
        {
            // Counted lost (silent after a restart, or its actor seemed gone), but it is putting: the run waits for it again.
            _log.ProducerBack(put.ProducerId);
            Record(new ProducerAnnounced(put.ProducerId, producer.Node, producer.NodeProducers));
        }

        // Part of this put may be in already (it waited for room before a restart): continue after it.
        var already = producer.PartialSequenceNr == put.SequenceNr ? producer.PartialAdmitted : 0;
        if (!put.Wait)
        {
            if (put.Items.Count - already > Room)
            {
                Tell(from, new PutRejected(put.ProducerId, put.SequenceNr, PutRejection.Full, already));
                return;
            }

            Admit(from, put, already, put.Items.Count - already);
            return;
        }

        // Earlier parked putters go first, as asyncio wakes putters in FIFO order.
        var admitted = already + (_parkedPuts.Count == 0 ? Admit(from, put, already, Math.Min(Room, put.Items.Count - already)) : 0);
        if (admitted < put.Items.Count)
        {
            // The reply is deferred until room frees: this is await put()'s backpressure.
            _parkedPuts.PushBack(new PendingPut<TClient>(from, put, admitted));
            _parkedKeys.Add((put.ProducerId, put.SequenceNr));
        }
    }

    /// <summary>The batch run's own refusals: an operator ended it, it is over, or the queue is shut down.</summary>
    private bool RefusedByTheRun(TClient from, Put put)
    {
        if (_totals.EndedByOperator)
        {
            // An operator ended the run for adding: this producer's remaining items are never put, by their word, not by a fault.
            _log.PutAfterRunEnded(put.ProducerId, put.SequenceNr, _totals.RunNumber);
            Tell(from, new PutRejected(put.ProducerId, put.SequenceNr, PutRejection.RunEnded, 0));
            return true;
        }

        if (_totals.RunFinished)
        {
            // Nothing is acknowledged into a run that is over: its summary has been given.
            _log.PutAfterRunOver(put.ProducerId, put.SequenceNr, _totals.RunNumber);
            Tell(from, new PutRejected(put.ProducerId, put.SequenceNr, PutRejection.RunOver, 0));
            return true;
        }

        if (IsShutDown)
        {
            Tell(from, new PutRejected(put.ProducerId, put.SequenceNr, PutRejection.ShutDown, 0));
            return true;
        }

        return false;
    }

    public void RegisterProducer(TClient from, RegisterProducer register)
    {
        var producer = Heard(from, register.ProducerId);
        if (!producer.IsAnnounced || producer.Phase is ProducerPhase.Lost or ProducerPhase.Stopped)
        {
            if (producer.Phase == ProducerPhase.Lost)
            {
                _log.ProducerBack(register.ProducerId);
            }

            Record(new ProducerAnnounced(register.ProducerId, register.Node, register.NodeProducers));
        }

        // A put admitted in part belongs to the producer's last incarnation: the new one numbers its puts after it
        // and skips every item admitted, so nothing is put twice and the part left out is put again.
        var last = Math.Max(0, Math.Max(producer.HighestAccepted, producer.PartialSequenceNr));
        TellWhenStored(from, new ProducerRegistered(register.ProducerId, last, producer.Accepted));
    }

    public void ProducerDone(TClient from, ProducerDone done)
    {
        var producer = Heard(from, done.ProducerId);
        if (producer.Phase == ProducerPhase.Done)
        {
            TellWhenStored(from, new ProducerDoneAck(done.ProducerId));
            return;
        }

        if (done.LastSequenceNr < producer.HighestAccepted || _parkedPuts.Any(p => p.Put.ProducerId == done.ProducerId && p.Put.SequenceNr <= done.LastSequenceNr))
        {
            // A stale message from an earlier incarnation of this producer (the queue holds puts after the
            // one it names), or one that overtook a put still waiting for room: it must not end a producer
            // that is still putting. It is not acknowledged; the producer resends it when it really is done.
            _log.ProducerDoneTooEarly(done.ProducerId, done.LastSequenceNr, producer.HighestAccepted);
            return;
        }

        Record(new ProducerCompleted(done.ProducerId));
        TellWhenStored(from, new ProducerDoneAck(done.ProducerId));
        _log.ProducerDone(done.ProducerId, producer.Accepted);
    }

    /// <summary>
    /// A producer stopped on request before it was done: it is neither done nor lost, and the run waits for
    /// it without the producer timeout (its node was stopped, and starting it again resumes it).
    /// </summary>
    public void ProducerStopped(TClient from, ProducerStopped stopped)
    {
        var producer = Heard(from, stopped.ProducerId);
        if (producer.Phase != ProducerPhase.Active || stopped.LastSequenceNr < producer.HighestAccepted)
        {
            return; // done, lost or stopped already, or a stale word from an earlier incarnation of it
        }

        Record(new ProducerSuspended(stopped.ProducerId));
        _log.ProducerStoppedEarly(stopped.ProducerId, producer.Accepted);
    }

    /// <summary>
    /// A stopping producer takes back a put that waits for room, so that its node's stop does not wait for consumers
    /// to make room for items nobody will put any more. What was admitted stays accepted (journaled as the put's
    /// part, which the producer's restart skips); the reply waits until that is stored.
    /// </summary>
    public void WithdrawPut(TClient from, WithdrawPut withdraw)
    {
        var key = (withdraw.ProducerId, withdraw.SequenceNr);
        if (!_parkedKeys.Remove(key))
        {
            return; // in whole already (its PutAccepted answers it), or never here: nothing waits
        }

        var admitted = 0;
        _parkedPuts.RemoveAll(p =>
        {
            var match = p.Put.ProducerId == withdraw.ProducerId && p.Put.SequenceNr == withdraw.SequenceNr;
            admitted = match ? p.Admitted : admitted;
            return match;
        });
        _log.PutWithdrawn(withdraw.ProducerId, withdraw.SequenceNr, admitted);
        TellWhenStored(from, new PutRejected(withdraw.ProducerId, withdraw.SequenceNr, PutRejection.Withdrawn, admitted));
    }

    /// <summary>The size of the first item over <see cref="QueueOptions.MaxItemBytes"/>, if any.</summary>
    private int? OversizedItem(Put put)
    {
        foreach (var item in put.Items)
        {
            if (item.Payload.Length > _options.MaxItemBytes)
            {
                return item.Payload.Length;
            }
        }

        return null;
    }

    /// <summary>Admits part of a put; the putter hears of it once the part that completes the put is stored.</summary>
    private int Admit(TClient putter, Put put, int from, int count)
    {
        var complete = from + count == put.Items.Count;
        if (count == 0 && !complete)
        {
            return 0;
        }

        var items = from == 0 && complete ? put.Items : put.Items.Skip(from).Take(count).ToArray();
        Record(new ItemsAccepted(put.ProducerId, put.SequenceNr, _totals.LastItemId + 1, items, complete, put.Job));
        _metrics?.Accepted.Add(count);
        if (complete)
        {
            TellWhenStored(putter, new PutAccepted(put.ProducerId, put.SequenceNr, put.Items.Count));
        }

        return count;
    }

    private int AdmitParkedPuts()
    {
        var total = 0;
        while (_parkedPuts.Count > 0 && Room > 0)
        {
            var parked = _parkedPuts.PeekFront();
            var count = Admit(parked.Putter, parked.Put, parked.Admitted, Math.Min(Room, parked.Put.Items.Count - parked.Admitted));
            parked.Admitted += count;
            total += count;
            if (parked.Admitted == parked.Put.Items.Count)
            {
                _parkedPuts.PopFront();
                _parkedKeys.Remove((parked.Put.ProducerId, parked.Put.SequenceNr));
            }
        }

        return total;
    }
}
