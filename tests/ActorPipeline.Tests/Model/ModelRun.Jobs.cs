using ActorPipeline.Coordinator;
using static ActorPipeline.Coordinator.Protocol.JobProtocol;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Tests.Model;

/// <summary>
/// Jobs in the model: a few named jobs beside the run's, opened (again) by id, fed by clients' put keys (each bound
/// to the job of its first admitted item), closed, cancelled (its queued and in-flight items discarded, its parked
/// puts refused), joined (answered once its last item settles, and that is stored), looked at, and forgotten
/// past their retention on the state's fake clock. Consumers are shared by the turns <see cref="ModelQueue"/> keeps.
/// </summary>
internal sealed partial class ModelRun
{
    public static readonly TimeSpan RetentionTime = TimeSpan.FromSeconds(3);
    public const int RetentionCount = 2;

    /// <summary>Most client jobs remembered at once: a new one waits until a settled one is forgotten.</summary>
    private const int MaxClientJobs = 4;

    private readonly bool _withJobs;
    private readonly ModelJob _runJob;
    private readonly Dictionary<string, ModelJob> _jobs = [];
    private readonly List<string> _forgotten = [];
    private readonly ModelClient _jobAsker = new("job-asker"); // joins a job that is not there
    private int _lastJob;

    private DateTime UtcNow => _time.GetUtcNow().UtcDateTime;

    /// <summary>Client jobs remembered, oldest opened first.</summary>
    private List<ModelJob> ClientJobs => [.. _jobs.Values.Where(j => j != _runJob).OrderBy(j => j.OpenedAt).ThenBy(j => j.Id, StringComparer.Ordinal)];

    /// <summary>An id no job has: one forgotten, or one never opened.</summary>
    private string UnknownJobId => _forgotten.Count > 0 ? _forgotten[^1] : "j0";

    private void DoJob(QueueOperation op)
    {
        switch (op.Kind)
        {
            case OperationKind.OpenJob:
                OpenJob(op.Argument);
                break;
            case OperationKind.CloseJob:
                CloseJob(PickJob(op.Argument));
                break;
            case OperationKind.CancelJob:
                CancelJob(PickJob(op.Argument));
                break;
            case OperationKind.JoinJob:
                JoinJob(PickJob(op.Argument));
                break;
            case OperationKind.GetJob:
                var id = PickJob(op.Argument);
                Expect(_operator, _jobs.TryGetValue(id, out var job) ? StatusOf(job, withDeadLetters: true) : new JobUnknown(id));
                _state.GetJob(_operator, new GetJob(id));
                break;
            case OperationKind.JobJoinerStops when _jobs.TryGetValue(PickJob(op.Argument), out var joined):
                _state.ClientTerminated(joined.Joiner); // forgotten, not answered into the void
                joined.RestartJoiner();
                break;
        }
    }

    /// <summary>A client job, the run's, or (now and then) one that is not there.</summary>
    private string PickJob(int argument)
    {
        var jobs = ClientJobs;
        var pick = argument % (jobs.Count + 2);
        return pick < jobs.Count ? jobs[pick].Id : pick == jobs.Count ? JobIds.Run : UnknownJobId;
    }

    /// <summary>The job a put names: the run's for the run's producers; for a client's put key its own job mostly, now and then another or none.</summary>
    private string JobToPutInto(ModelProducer putter, int pick)
    {
        if (!_jobProducers.Contains(putter))
        {
            return JobIds.Run;
        }

        var jobs = ClientJobs;
        if (pick % 8 == 0 || jobs.Count == 0)
        {
            return UnknownJobId;
        }

        if (putter.Job is { } own)
        {
            var others = jobs.Where(j => j.Id != own).ToList();
            return pick % 8 == 1 && others.Count > 0 ? others[pick / 8 % others.Count].Id : own;
        }

        var open = jobs.Where(j => j.Phase == JobPhase.Open).ToList();
        var from = open.Count > 0 && pick % 8 != 2 ? open : jobs;
        return from[pick / 8 % from.Count].Id;
    }

    private void OpenJob(int argument)
    {
        var jobs = ClientJobs;
        var weight = 1 + (argument / 6 % 3);
        var kind = argument % 6;
        if (kind == 2)
        {
            // The run's id is taken; a weight out of range is refused before anything is looked up.
            var badWeight = argument / 6 % 2 == 1;
            Expect(_operator, new JobRefused(badWeight ? "j99" : JobIds.Run, string.Empty));
            _state.OpenJob(_operator, new OpenJob(badWeight ? "j99" : JobIds.Run, "the run", badWeight ? 0 : 1));
            return;
        }

        if ((kind is 0 or 1 || jobs.Count >= MaxClientJobs) && jobs.Count > 0)
        {
            // A resend (its answer was lost) is answered with its status; another name under its id is refused.
            var again = jobs[argument / 6 % jobs.Count];
            var sameName = kind != 1;
            if (sameName)
            {
                ExpectStored(_operator, StatusOf(again, withDeadLetters: false));
            }
            else
            {
                Expect(_operator, new JobRefused(again.Id, string.Empty));
            }

            _state.OpenJob(_operator, new OpenJob(again.Id, sameName ? again.Name : again.Name + " again", weight));
            return;
        }

        var id = $"j{++_lastJob}";
        var job = new ModelJob(id, $"job {_lastJob}", weight, UtcNow);
        _jobs.Add(id, job);
        ExpectStored(_operator, StatusOf(job, withDeadLetters: false));
        _state.OpenJob(_operator, new OpenJob(id, job.Name, weight));
    }

    private void CloseJob(string id)
    {
        if (KnownClientJob(id) is { } job)
        {
            if (job.Phase == JobPhase.Open)
            {
                job.Phase = JobPhase.Closed;
                job.ClosedAt = UtcNow;
                RejectParkedPuts(job);
            }

            ExpectStored(_operator, StatusOf(job, withDeadLetters: false)); // it settles in the step after, once nothing of it is unfinished
        }

        _state.CloseJob(_operator, new CloseJob(id));
    }

    private void CancelJob(string id)
    {
        if (KnownClientJob(id) is { } job)
        {
            if (!job.IsSettled)
            {
                // Queued and in flight alike: a task_done for one in flight counts as a duplicate from now on.
                foreach (var item in _byLabel.Values.Where(i => i.Job == job && i.Status is ModelItemStatus.Queued or ModelItemStatus.InFlight).ToList())
                {
                    Finish(item, ModelItemStatus.Discarded);
                    _discarded++;
                }

                job.Phase = JobPhase.Cancelled;
                job.ClosedAt ??= UtcNow;
                job.SettledAt = UtcNow;
                RejectParkedPuts(job);
                AnswerJoiner(job);
            }

            ExpectStored(_operator, StatusOf(job, withDeadLetters: false));
        }

        _state.CancelJob(_operator, new CancelJob(id, "model"));
    }

    private void JoinJob(string id)
    {
        if (!_jobs.TryGetValue(id, out var job))
        {
            Expect(_jobAsker, new JobUnknown(id));
            _state.JoinJob(_jobAsker, new JoinJob(id));
            return;
        }

        if (job == _runJob ? RunComplete : job.IsSettled)
        {
            // At once, but once stored: the completions (and the run's end) that settled it must not come back after a crash.
            if (job == _runJob)
            {
                _runFinished = true;
            }

            ExpectStored(job.Joiner, StatusOf(job, withDeadLetters: true));
        }
        else if (!job.JoinPending)
        {
            job.JoinPending = true;
            ExpectWatch(job.Joiner);
        }

        _state.JoinJob(job.Joiner, new JoinJob(id));
    }

    /// <summary>A client job by id; the run's is refused, and an id no job has is unknown.</summary>
    private ModelJob? KnownClientJob(string id)
    {
        if (!_jobs.TryGetValue(id, out var job))
        {
            Expect(_operator, new JobUnknown(id));
            return null;
        }

        if (job == _runJob)
        {
            Expect(_operator, new JobRefused(id, string.Empty)); // the run's closes with the run, and is not cancelled
            return null;
        }

        return job;
    }

    /// <summary>Puts waiting for room in a job that takes no more are refused; what of them is in stays.</summary>
    private void RejectParkedPuts(ModelJob job)
    {
        foreach (var parked in _parked.Where(p => p.PendingJob == job.Id))
        {
            Expect(parked.Client, new PutRejected(parked.Id, parked.Pending!.Value.Seq, PutRejection.JobClosed, parked.PendingAdmitted));
            parked.Pending = null;
            parked.PendingParked = false;
        }

        _parked.RemoveAll(p => p.Pending is null);
    }

    private void AnswerJoiner(ModelJob job)
    {
        if (job.JoinPending)
        {
            ExpectStored(job.Joiner, StatusOf(job, withDeadLetters: true));
            job.JoinPending = false;
        }
    }

    /// <summary>After every step: closed jobs with nothing unfinished are settled and their joiners told; the run's joiners once the run is complete.</summary>
    private void SettleJobs()
    {
        foreach (var job in _jobs.Values.Where(j => j.Phase == JobPhase.Closed && UnfinishedOf(j) == 0))
        {
            job.Phase = JobPhase.Settled;
            job.SettledAt = UtcNow;
            AnswerJoiner(job);
        }

        if (_runJob.JoinPending && RunComplete)
        {
            _runFinished = true;
            AnswerJoiner(_runJob);
        }
    }

    /// <summary>
    /// On the tick: settled jobs past their retention are forgotten (the newest settled kept, up to its count and
    /// within its time), with their dead letters and their put keys, and the queue's totals drop their figures.
    /// </summary>
    private void ForgetOldJobs()
    {
        var now = UtcNow;
        var keep = RetentionCount;
        foreach (var job in ClientJobs.Where(j => j.IsSettled).OrderByDescending(j => j.SettledAt).ThenBy(j => j.Id, StringComparer.Ordinal).ToList())
        {
            if (keep > 0 && now - job.SettledAt!.Value < RetentionTime)
            {
                keep--;
                continue;
            }

            _jobs.Remove(job.Id);
            _forgotten.Add(job.Id);
            foreach (var item in _byLabel.Values.Where(i => i.Job == job).ToList())
            {
                _byLabel.Remove(item.Label); // finished, every one; its dead letters go with it
            }

            foreach (var putter in _jobProducers.Where(p => p.Job == job.Id))
            {
                putter.Job = null;
                putter.HighestAccepted = 0;
                putter.AcceptedItems = 0;
                putter.PartialSeq = 0;
                putter.LastAccepted = null;
                putter.HeardFrom = null; // the coordinator forgets it: the next word from it is watched anew
            }

            _accepted -= job.Accepted;
            _completed -= job.Completed;
            _discarded -= job.Discarded;
            _dropped -= job.Dropped;
        }
    }

    private long UnfinishedOf(ModelJob job) => _byLabel.Values.Count(i => i.Job == job && i.Status is ModelItemStatus.Queued or ModelItemStatus.InFlight);

    /// <summary>A job's status as the model has it; the run's phase is the run's.</summary>
    private JobStatus StatusOf(ModelJob job, bool withDeadLetters)
    {
        var items = _byLabel.Values.Where(i => i.Job == job).ToList();
        var dead = items.Where(i => i.Status == ModelItemStatus.DeadLettered).OrderBy(i => i.Order).ToList();
        var phase = job != _runJob ? job.Phase : _runFinished ? JobPhase.Settled : _endedByOperator ? JobPhase.Closed : JobPhase.Open;
        return new JobStatus(
            job.Id,
            job.Name,
            phase,
            job.Weight,
            job.Accepted,
            job.Completed,
            dead.Count,
            job.Discarded + job.Dropped,
            items.Count(i => i.Status == ModelItemStatus.Queued),
            items.Count(i => i.Status == ModelItemStatus.InFlight),
            job.OpenedAt,
            job.ClosedAt,
            job.SettledAt,
            [.. job.Producers.Select(p => new JobProducer(p.Key, p.Value))],
            withDeadLetters ? [.. dead.Take(JobStatus.MaxDeadLettersInStatus).Select(i => new DeadLetteredItem(ItemIdOf(i), 0, ItemOf(i.Label), 0, string.Empty, job.Id))] : []);
    }

    /// <summary>After every step: the state's list of jobs is the model's, figure for figure, and each adds up.</summary>
    private void CheckJobs()
    {
        var list = _state.Jobs();
        foreach (var s in list.Jobs)
        {
            Require(
                s.Accepted == s.Completed + s.DeadLettered + s.Discarded + s.Queued + s.InFlight,
                () => $"job {s.JobId}: accepted {s.Accepted} is not completed {s.Completed} + dead-lettered {s.DeadLettered} + discarded {s.Discarded} + queued {s.Queued} + in flight {s.InFlight}");
        }

        var model = new JobList([.. _jobs.Values
            .OrderBy(j => j == _runJob)
            .ThenByDescending(j => j.OpenedAt)
            .ThenBy(j => j.Id, StringComparer.Ordinal)
            .Select(j => StatusOf(j, withDeadLetters: false))]);
        var actual = DescribeJobs(list, withRunStart: true);
        var expected = DescribeJobs(model, withRunStart: true);
        Require(actual == expected, () => $"jobs differ:\n--- state\n{actual}\n--- model\n{expected}");
    }

    /// <summary>A list of jobs, one a line; the run's opening time is its coordinator's start, not journaled, unless asked for.</summary>
    private static string DescribeJobs(JobList list, bool withRunStart = false) =>
        string.Join("\n", list.Jobs.Select(s => Describe(s, withRunStart || s.JobId != JobIds.Run)));

    private static string Describe(JobStatus s, bool withOpenedAt = true) =>
        $"JobStatus({s.JobId} \"{s.Name}\" {s.Phase} w{s.Weight} accepted {s.Accepted} completed {s.Completed} dead {s.DeadLettered} discarded {s.Discarded} "
        + $"queued {s.Queued} in flight {s.InFlight} opened {(withOpenedAt ? At(s.OpenedAt) : "(start)")} closed {At(s.ClosedAt)} settled {At(s.SettledAt)} "
        + $"producers [{string.Join(",", s.Producers.Select(p => $"{p.ProducerId}={p.Accepted}"))}] dead letters [{string.Join(",", s.DeadLetters.Select(d => d.ItemId))}])";

    private static string At(DateTime? at) => at is { } t ? t.ToString("HH:mm:ss.fff") : "-";
}
