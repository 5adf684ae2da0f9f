using ActorPipeline.Coordinator;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Tests.Model;

internal sealed partial class ModelRun
{
    private void Do(QueueOperation op)
    {
        var producer = _producers[op.Argument % _producers.Length];
        var putter = _putters[op.Argument % _putters.Length];
        var consumer = _consumers[op.Argument % _consumers.Length];
        var windowed = _consumers[1 + (op.Argument % 2)];
        var small = 1 + (op.Argument / 3 % 3);
        switch (op.Kind)
        {
            case OperationKind.Put or OperationKind.PutNowait when putter.Pending is null:
                var labels = Enumerable.Range(_nextLabel, small).ToArray();
                _nextLabel += small;
                putter.Pending = (++putter.Sequence, labels, op.Kind == OperationKind.Put);
                putter.PendingJob = JobToPutInto(putter, op.Argument / 9);
                putter.PendingAdmitted = 0;
                putter.PendingParked = false;
                SendPut(putter);
                break;
            case OperationKind.ResendPut when putter.Pending is not null:
                SendPut(putter);
                break;
            case OperationKind.ResendAcceptedPut when putter is { Pending: null, LastAccepted: { } last }:
                Heard(putter);
                ExpectStored(putter.Client, new PutAccepted(putter.Id, last.Seq, last.Count));
                _state.Put(putter.Client, new Put(putter.Id, last.Seq, [.. Enumerable.Repeat(ItemOf(0), last.Count)], Job: putter.Job ?? JobIds.Run));
                break;
            case OperationKind.Register:
                Heard(producer);
                if (!producer.Registered || producer.Phase == ModelProducerPhase.Lost)
                {
                    producer.Registered = true;
                    producer.Phase = producer.Phase is ModelProducerPhase.Unregistered or ModelProducerPhase.Lost ? ModelProducerPhase.Active : producer.Phase;
                }

                ExpectStored(producer.Client, new ProducerRegistered(producer.Id, Math.Max(producer.HighestAccepted, producer.PartialSeq), producer.AcceptedItems));
                _state.RegisterProducer(producer.Client, new RegisterProducer(producer.Id));
                break;
            case OperationKind.ProducerDoneOvertakingItsPut when producer is { Pending: { } pending, PendingParked: true }:
                // Its done overtook its own put, still parked for room: it must not end a producer that is still
                // putting, so it is neither acknowledged nor counted; the producer sends it again once the put is in.
                Heard(producer);
                if (producer.Phase == ModelProducerPhase.Done)
                {
                    ExpectStored(producer.Client, new ProducerDoneAck(producer.Id)); // done once is done: every later done is acknowledged
                }

                _state.ProducerDone(producer.Client, new ProducerDone(producer.Id, pending.Seq));
                break;
            case OperationKind.ProducerDone when producer.Pending is null:
                Heard(producer);
                producer.Phase = ModelProducerPhase.Done;
                ExpectStored(producer.Client, new ProducerDoneAck(producer.Id));
                _state.ProducerDone(producer.Client, new ProducerDone(producer.Id, producer.Sequence));
                break;
            case OperationKind.StaleProducerDone when producer.HighestAccepted >= 1 && producer.Phase != ModelProducerPhase.Done:
                Heard(producer); // a done from an earlier incarnation: not acknowledged, changes nothing
                _state.ProducerDone(producer.Client, new ProducerDone(producer.Id, producer.HighestAccepted - 1));
                break;
            case OperationKind.ProducerStopped:
                if (putter.HeardFrom == putter.Client && putter.Phase == ModelProducerPhase.Active)
                {
                    putter.SilentSince = _time.GetTimestamp(); // the producer timeout to come back, then lost
                    putter.HeardFrom = null;
                }

                if (_parked.Remove(putter))
                {
                    putter.PendingParked = false; // what it had admitted stays; it resends the rest
                }

                _state.ClientTerminated(putter.Client);
                putter.Restart();
                break;
            case OperationKind.Get or OperationKind.GetNowait:
                Get(_consumers[0], small, op.Kind == OperationKind.Get);
                break;
            case OperationKind.CancelGet:
                Expect(_consumers[0].Client, new GetCancelled(_known.Contains(_consumers[0]) ? _consumers[0].Credits : 0));
                _consumers[0].Credits = 0;
                _state.CancelGet(_consumers[0].Client);
                break;
            case OperationKind.RequestWork:
                RequestWork(windowed, small);
                break;
            case OperationKind.TaskDone when PickHeld(consumer, op.Argument, 1 + (op.Argument / 27 % 3)) is { Count: > 0 } done:
                // As real consumers do, in batches; now and then with an id twice in the one message.
                if (op.Argument / 81 % 3 == 0)
                {
                    done.Add(done[0]);
                }

                done.ForEach(Acknowledge);
                _state.TaskDone(consumer.Client, new TaskDone(done));
                break;
            case OperationKind.DuplicateTaskDone when _issued.Count > 0:
                var any = _issued.Keys.Order().ElementAt(op.Argument % _issued.Count); // a late or repeated task_done from anyone
                Acknowledge(any);
                _state.TaskDone(consumer.Client, new TaskDone([any]));
                break;
            case OperationKind.Release when PickHeld(consumer, op.Argument, 1 + (op.Argument / 27 % 3)) is { Count: > 0 } released:
                // A batch goes back to the head in the order it names; a delivery no longer current is passed over.
                Requeue([.. released.Select(id => _issued[id]).Where((item, i) => item.Status == ModelItemStatus.InFlight && item.Current == released[i])]);
                _state.Release(consumer.Client, new Release(released));
                break;
            case OperationKind.TaskFailed when PickHeld(consumer, op.Argument, 1) is [var failed]:
                if (_issued[failed] is { Status: ModelItemStatus.InFlight } dead && dead.Current == failed)
                {
                    Finish(dead, ModelItemStatus.DeadLettered);
                }
                else
                {
                    _duplicates++;
                }

                _state.TaskFailed(consumer.Client, new TaskFailed(failed, 3, "boom"));
                break;
            case OperationKind.LoseTaskDone when PickHeld(consumer, op.Argument, 1) is [_]:
                break; // the consumer finished it; its task_done never arrives
            case OperationKind.LoseNextDelivery:
                consumer.LoseNextDelivery = true;
                break;
            case OperationKind.ConsumerStopped:
                if (_known.Remove(consumer))
                {
                    Requeue([.. HeldBy(consumer)]);
                }

                _released.Remove(consumer);
                _state.ClientTerminated(consumer.Client);
                consumer.Restart();
                break;
            case OperationKind.AdvanceTime:
                AdvanceTime(TimeSpan.FromMilliseconds(200 + (op.Argument % 5 * 300)));
                break;
            case OperationKind.Join:
                if (Unfinished == 0)
                {
                    ExpectStored(_joiner, Joined.Instance);
                }
                else if (!_joinPending)
                {
                    _joinPending = true;
                    ExpectWatch(_joiner); // a joiner that stops is forgotten, not answered into the void
                }

                _state.Join(_joiner);
                break;
            case OperationKind.JoinRun:
                if (RunComplete)
                {
                    ExpectStored(_runJoiner, "RunCompleted");
                    _runFinished = true;
                }
                else if (!_runJoinPending)
                {
                    _runJoinPending = true;
                    ExpectWatch(_runJoiner);
                }

                _state.JoinRun(_runJoiner);
                break;
            case OperationKind.Shutdown or OperationKind.ShutdownImmediately:
                Shutdown(op.Kind == OperationKind.ShutdownImmediately);
                break;
            case OperationKind.RequeueDeadLetters:
                // A settled job's dead letters are its report: they are passed over, as its join was answered with them.
                var deadLetters = _byLabel.Values.Where(i => i.Status == ModelItemStatus.DeadLettered && !i.Job.IsSettled).OrderBy(i => i.Order).ToList();
                foreach (var item in deadLetters)
                {
                    item.Status = ModelItemStatus.Queued;
                    item.Known.Clear();
                    _queue.Add(item); // back to unfinished; it was accepted once and is not accepted again
                }

                ExpectStored(_operator, new DeadLettersRequeuedAck(deadLetters.Count));
                _state.RequeueDeadLetters(_operator, new RequeueDeadLetters([]));
                break;
            case OperationKind.RequeueOneDeadLetter:
                // An id that is a dead letter, or (argument odd) one that is not: it is passed over.
                var toRequeue = PickDeadLetter(op.Argument);
                var requeued = toRequeue is { Job.IsSettled: false }; // a settled job's is passed over
                if (requeued)
                {
                    toRequeue!.Status = ModelItemStatus.Queued;
                    toRequeue.Known.Clear();
                    _queue.Add(toRequeue);
                }

                ExpectStored(_operator, new DeadLettersRequeuedAck(requeued ? 1 : 0));
                _state.RequeueDeadLetters(_operator, new RequeueDeadLetters([toRequeue is null ? NotADeadLetter : ItemIdOf(toRequeue)]));
                break;
            case OperationKind.DiscardDeadLetters:
                var discarded = _byLabel.Values.Where(i => i.Status == ModelItemStatus.DeadLettered).ToList();
                foreach (var item in discarded)
                {
                    item.Status = ModelItemStatus.Discarded; // settled for good: never queued again
                    item.Job.Discarded++;
                    _discarded++;
                }

                ExpectStored(_operator, new DeadLettersDiscardedAck(discarded.Count));
                _state.DiscardDeadLetters(_operator, new DiscardDeadLetters([]));
                break;
            case OperationKind.DiscardOneDeadLetter:
                var toDiscard = PickDeadLetter(op.Argument);
                if (toDiscard is not null)
                {
                    toDiscard.Status = ModelItemStatus.Discarded;
                    toDiscard.Job.Discarded++;
                    _discarded++;
                }

                ExpectStored(_operator, new DeadLettersDiscardedAck(toDiscard is null ? 0 : 1));
                _state.DiscardDeadLetters(_operator, new DiscardDeadLetters([toDiscard is null ? NotADeadLetter : ItemIdOf(toDiscard)]));
                break;
            case OperationKind.EndRun:
                EndRun();
                break;
            case OperationKind.TakeSnapshot:
                _snapshot = (_state.Snapshot(), _journal.Count);
                break;
            case OperationKind.CrashAndRecoverFromJournal or OperationKind.CrashAndRecoverFromSnapshot:
                CrashAndRecover(op.Kind == OperationKind.CrashAndRecoverFromSnapshot);
                break;
            default:
                DoJob(op);
                break;
        }
    }

    /// <summary>Ids below any the coordinator hands out: an operator's id that names no dead letter.</summary>
    private const long NotADeadLetter = -1;

    /// <summary>The coordinator numbers items from 1 in acceptance order, which is the model's order from 0.</summary>
    private static long ItemIdOf(ModelItem item) => item.Order + 1;

    /// <summary>A dead letter chosen by the argument, or none when the argument is odd (the operator names an id that is not one).</summary>
    private ModelItem? PickDeadLetter(int argument)
    {
        var dead = _byLabel.Values.Where(i => i.Status == ModelItemStatus.DeadLettered).OrderBy(i => i.Order).ToList();
        return argument % 2 == 1 || dead.Count == 0 ? null : dead[argument / 2 % dead.Count];
    }

    /// <summary>
    /// An operator ends the run for adding: producers not yet done count as done, parked puts are refused
    /// (what of them is in stays), and the run completes once nothing is unfinished.
    /// </summary>
    private void EndRun()
    {
        if (_runFinished || _endedByOperator)
        {
            Expect(_operator, new RunEndAck(0, (int)Unfinished, AlreadyOver: true));
            _state.EndRun(_operator, new EndRun("model"));
            return;
        }

        var ended = 0;
        foreach (var producer in _producers.Where(p => p.Phase is ModelProducerPhase.Active or ModelProducerPhase.Lost))
        {
            producer.Phase = ModelProducerPhase.Done;
            ended++;
        }

        foreach (var parked in _parked.Where(p => p.PendingJob == JobIds.Run))
        {
            Expect(parked.Client, new PutRejected(parked.Id, parked.Pending!.Value.Seq, PutRejection.RunEnded, parked.PendingAdmitted));
            parked.Pending = null;
            parked.PendingParked = false;
        }

        _parked.RemoveAll(p => p.Pending is null); // other jobs' puts are not the run's
        _endedByOperator = true;
        ExpectStored(_operator, new RunEndAck(ended, (int)Unfinished, AlreadyOver: false));
        _state.EndRun(_operator, new EndRun("model"));
    }

    /// <summary>The coordinator hears from the producer: it watches the client it hears from, once, so that its stop is noticed.</summary>
    private void Heard(ModelProducer producer)
    {
        producer.SilentSince = null;
        if (producer.HeardFrom != producer.Client)
        {
            ExpectWatch(producer.Client);
        }

        producer.HeardFrom = producer.Client;
    }

    private void SendPut(ModelProducer producer)
    {
        var (seq, labels, wait) = producer.Pending!.Value;
        var jobId = producer.PendingJob;
        _jobs.TryGetValue(jobId, out var job);
        Heard(producer);
        if (seq <= producer.HighestAccepted)
        {
            Complete(producer);
        }
        else if (job is null)
        {
            Expect(producer.Client, new PutRejected(producer.Id, seq, PutRejection.NoSuchJob, 0)); // never opened, or forgotten
            producer.Pending = null;
        }
        else if ((job != _runJob && job.Phase != JobPhase.Open) || (producer.Job is { } own && own != jobId))
        {
            // Closed, cancelled or settled; or a producer bound to another job by its first put.
            Expect(producer.Client, new PutRejected(producer.Id, seq, PutRejection.JobClosed, 0));
            producer.Pending = null;
        }
        else if (job == _runJob && _endedByOperator)
        {
            Expect(producer.Client, new PutRejected(producer.Id, seq, PutRejection.RunEnded, 0)); // closed for adding by an operator
            producer.Pending = null;
        }
        else if (job == _runJob && _runFinished)
        {
            Expect(producer.Client, new PutRejected(producer.Id, seq, PutRejection.RunOver, 0)); // nothing goes into a run that is over
            producer.Pending = null;
        }
        else if (_mode != QueueMode.Open)
        {
            Expect(producer.Client, new PutRejected(producer.Id, seq, PutRejection.ShutDown, 0));
            producer.Pending = null;
        }
        else if (!producer.PendingParked)
        {
            producer.Phase = producer.Phase == ModelProducerPhase.Lost ? ModelProducerPhase.Active : producer.Phase;
            var already = producer.PendingAdmitted;
            if (!wait)
            {
                if (labels.Length - already > Room)
                {
                    Expect(producer.Client, new PutRejected(producer.Id, seq, PutRejection.Full, already));
                    producer.Pending = null;
                }
                else
                {
                    AdmitLabels(producer, labels.Length - already);
                }
            }
            else
            {
                if (_parked.Count == 0)
                {
                    AdmitLabels(producer, Math.Min(Room, labels.Length - already));
                }

                if (producer.Pending is not null)
                {
                    _parked.Add(producer);
                    producer.PendingParked = true;
                }
            }
        }

        _state.Put(producer.Client, new Put(producer.Id, seq, [.. labels.Select(ItemOf)], wait, jobId));
    }

    /// <summary>Admits the next <paramref name="count"/> items of the producer's pending put; the last of them completes it.</summary>
    private void AdmitLabels(ModelProducer producer, int count)
    {
        var labels = producer.Pending!.Value.Labels;
        var job = _jobs[producer.PendingJob];
        foreach (var label in labels.Skip(producer.PendingAdmitted).Take(count))
        {
            var item = new ModelItem(label, _order++, job);
            _byLabel.Add(label, item);
            _queue.Add(item);
            _accepted++;
        }

        if (count > 0)
        {
            job.Accepted += count;
            job.Producers[producer.Id] = job.Producers.GetValueOrDefault(producer.Id) + count;
            producer.Job ??= job.Id; // bound to it from its first admitted item
        }

        producer.PendingAdmitted += count;
        producer.AcceptedItems += count;
        if (producer.PendingAdmitted == labels.Length)
        {
            producer.PartialSeq = 0;
            Complete(producer);
        }
        else if (count > 0)
        {
            producer.PartialSeq = producer.Pending.Value.Seq;
        }
    }

    private void Complete(ModelProducer producer)
    {
        var (seq, labels, _) = producer.Pending!.Value;
        producer.HighestAccepted = Math.Max(producer.HighestAccepted, seq);
        producer.LastAccepted = (seq, labels.Length);
        producer.Pending = null;
        producer.PendingParked = false;
        ExpectStored(producer.Client, new PutAccepted(producer.Id, seq, labels.Length));
    }

    /// <summary>Lets parked putters fill the room there is, oldest first, as the coordinator does after items leave the queue.</summary>
    private bool AdmitParked()
    {
        var any = false;
        while (_parked.Count > 0 && Room > 0)
        {
            var head = _parked[0];
            var left = head.Pending!.Value.Labels.Length - head.PendingAdmitted;
            AdmitLabels(head, Math.Min(Room, left));
            any = true;
            if (head.Pending is null)
            {
                _parked.RemoveAt(0);
            }
        }

        return any;
    }
}
