using Microsoft.Extensions.Logging;
using static ActorPipeline.Coordinator.Persistence.QueueEvents;
using static ActorPipeline.Coordinator.Protocol.JobProtocol;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Coordinator.State;

/// <summary>
/// Jobs: named batches sharing the queue and its consumers, each with asyncio's join rule of its own. A job is
/// opened, takes puts that name it, is closed for adding (or cancelled), and is settled once every item accepted
/// into it is completed, dead-lettered or discarded. The batch run's job (<see cref="JobIds.Run"/>) always exists:
/// it closes and settles with the run, by the run's rule.
/// </summary>
internal sealed partial class CoordinatorState<TClient>
{
    public void OpenJob(TClient from, OpenJob open)
    {
        if ((JobIds.Problem(open.JobId) ?? JobIds.NameProblem(open.Name)) is { } problem)
        {
            Tell(from, new JobRefused(open.JobId, problem));
            return;
        }

        if (open.Weight is < 1 or > 100)
        {
            Tell(from, new JobRefused(open.JobId, $"a job's weight is 1 to 100, not {open.Weight}"));
            return;
        }

        if (_jobs.TryGetValue(open.JobId, out var job))
        {
            // A resend (its answer was lost), or another client's id clash: the same name says it is the same job.
            if (job == _runJob)
            {
                Tell(from, new JobRefused(open.JobId, $"\"{JobIds.Run}\" is the batch run's own job, which is never opened: choose another id"));
                return;
            }

            if (job.Name != open.Name)
            {
                Tell(from, new JobRefused(open.JobId, $"job {open.JobId} exists already, named \"{job.Name}\""));
                return;
            }

            TellWhenStored(from, StatusOf(job, withDeadLetters: false));
            return;
        }

        Record(new JobOpened(open.JobId, open.Name, open.Weight, Now));
        job = _jobs[open.JobId];
        _log.JobOpened(job.Id, job.Name, job.Weight);
        TellWhenStored(from, StatusOf(job, withDeadLetters: false));
    }

    public void CloseJob(TClient from, CloseJob close)
    {
        if (KnownJob(from, close.JobId) is not { } job)
        {
            return;
        }

        if (job == _runJob)
        {
            Tell(from, new JobRefused(job.Id, "the run's job closes when its producers are done, or when an operator ends the run"));
            return;
        }

        if (job.Phase == JobPhase.Open)
        {
            Record(new JobClosed(job.Id, Now));
            RejectParkedPuts(job, PutRejection.JobClosed);
            _log.JobClosed(job.Id, job.Accepted, job.Unfinished);
        }

        TellWhenStored(from, StatusOf(job, withDeadLetters: false));
    }

    public void CancelJob(TClient from, CancelJob cancel)
    {
        if (KnownJob(from, cancel.JobId) is not { } job)
        {
            return;
        }

        if (job == _runJob)
        {
            Tell(from, new JobRefused(job.Id, "the run's job is not cancelled: end the run, and discard its dead letters"));
            return;
        }

        if (!job.IsSettled)
        {
            var unfinished = job.Unfinished;
            Record(new JobCancelled(job.Id, cancel.RequestedBy, Now));
            RejectParkedPuts(job, PutRejection.JobClosed);
            _metrics?.Discarded.Add(unfinished);
            _log.JobCancelled(job.Id, cancel.RequestedBy, unfinished);
            AnswerJobJoiners(job);
        }

        TellWhenStored(from, StatusOf(job, withDeadLetters: false));
    }

    public void JoinJob(TClient from, JoinJob join)
    {
        if (KnownJob(from, join.JobId) is not { } job)
        {
            return;
        }

        if (job == _runJob)
        {
            // The run's job is settled when the run is complete, by the run's rule (its producers too, not only its items).
            if (IsRunComplete)
            {
                FinishRun();
                TellWhenStored(from, StatusOf(job, withDeadLetters: true));
                return;
            }
        }
        else if (job.IsSettled)
        {
            TellWhenStored(from, StatusOf(job, withDeadLetters: true));
            return;
        }

        if (job.Joiners.Add(from))
        {
            Watch(from); // a joiner that stops is forgotten, not answered into the void
        }
    }

    public void GetJob(TClient from, GetJob get)
    {
        if (KnownJob(from, get.JobId) is { } job)
        {
            Tell(from, StatusOf(job, withDeadLetters: true));
        }
    }

    /// <summary>Every job remembered, newest first, the run's last (it has been there longest).</summary>
    public JobList Jobs() => new([.. _jobs.Values
        .OrderBy(j => j == _runJob)
        .ThenByDescending(j => j.OpenedAt)
        .ThenBy(j => j.Id, StringComparer.Ordinal)
        .Select(j => StatusOf(j, withDeadLetters: false))]);

    /// <summary>A job's figures at this instant.</summary>
    public JobStatus StatusOf(JobState<TClient> job, bool withDeadLetters) => new(
        job.Id,
        job.Name,
        PhaseOf(job),
        job.Weight,
        job.Accepted,
        job.Completed,
        job.DeadLettered,
        job.Discarded + job.Dropped,
        job.Queued,
        job.InFlight,
        job.OpenedAt,
        job.ClosedAt,
        job.SettledAt,
        [.. job.Producers.Select(p => new JobProducer(p.Key, p.Value))],
        withDeadLetters && job.DeadLettered > 0
            ? [.. _deadLetters.Values.Where(d => d.Job == job.Id).OrderBy(d => d.ItemId).Take(JobStatus.MaxDeadLettersInStatus)]
            : []);

    /// <summary>The run's job has no phase of its own: it is the run's.</summary>
    private JobPhase PhaseOf(JobState<TClient> job) =>
        job != _runJob ? job.Phase
        : _totals.RunFinished ? JobPhase.Settled
        : _totals.EndedByOperator ? JobPhase.Closed
        : JobPhase.Open;

    private DateTime Now => _time.GetUtcNow().UtcDateTime;

    private JobState<TClient>? KnownJob(TClient from, string jobId)
    {
        if (_jobs.TryGetValue(jobId, out var job))
        {
            return job;
        }

        Tell(from, new JobUnknown(jobId));
        return null;
    }

    /// <summary>A put waiting for room in a job that takes no more is refused; what of it is in stays.</summary>
    private void RejectParkedPuts(JobState<TClient> job, PutRejection reason)
    {
        List<PendingPut<TClient>> removed = [];
        _parkedPuts.RemoveAll(p =>
        {
            if (p.Put.Job != job.Id)
            {
                return false;
            }

            removed.Add(p);
            return true;
        });
        foreach (var parked in removed)
        {
            _parkedKeys.Remove((parked.Put.ProducerId, parked.Put.SequenceNr));
            Tell(parked.Putter, new PutRejected(parked.Put.ProducerId, parked.Put.SequenceNr, reason, parked.Admitted));
        }
    }

    /// <summary>Closed jobs whose last item settled are settled now, and their joiners told once that is stored.</summary>
    private void SettleJobs()
    {
        if (_closing.Count == 0)
        {
            return;
        }

        List<JobState<TClient>>? settled = null;
        foreach (var job in _closing)
        {
            if (job.Unfinished == 0)
            {
                (settled ??= []).Add(job);
            }
        }

        foreach (var job in settled ?? [])
        {
            Record(new JobSettled(job.Id, Now));
            _log.JobSettled(job.Id, job.Accepted, job.Completed, job.DeadLettered, job.Discarded, (job.SettledAt!.Value - job.OpenedAt).TotalSeconds);
            AnswerJobJoiners(job);
        }
    }

    private void AnswerJobJoiners(JobState<TClient> job)
    {
        if (job.Joiners.Count == 0)
        {
            return;
        }

        var status = StatusOf(job, withDeadLetters: true);
        foreach (var joiner in job.Joiners)
        {
            TellWhenStored(joiner, status);
        }

        job.Joiners.Clear();
    }

    /// <summary>
    /// Settled jobs past their retention (older than its time, or beyond its count, the longest settled first)
    /// are forgotten, so the state and its snapshot hold the live jobs and a bounded history.
    /// </summary>
    private void ForgetOldJobs()
    {
        var retention = _options.Jobs.Retention;
        var settled = _jobs.Values.Where(j => j.IsSettled && j != _runJob).ToList();
        if (settled.Count == 0)
        {
            return;
        }

        var now = Now;
        var keep = retention.Count;
        List<string>? forget = null;
        foreach (var job in settled.OrderByDescending(j => j.SettledAt).ThenBy(j => j.Id, StringComparer.Ordinal))
        {
            if (keep > 0 && now - job.SettledAt!.Value < retention.Time)
            {
                keep--;
                continue;
            }

            (forget ??= []).Add(job.Id);
        }

        if (forget is not null)
        {
            Record(new JobsForgotten(forget));
            _log.JobsForgotten(forget.Count, string.Join(", ", forget.Take(LoggedIdsAtMost)));
        }
    }

    private void ApplyJobOpened(JobOpened e)
    {
        if (!_jobs.ContainsKey(e.JobId))
        {
            _jobs.Add(e.JobId, new JobState<TClient>(e.JobId, e.Name, e.Weight, e.At));
        }
    }

    private void ApplyJobClosed(JobClosed e)
    {
        if (_jobs.TryGetValue(e.JobId, out var job) && job.Phase == JobPhase.Open)
        {
            job.Phase = JobPhase.Closed;
            job.ClosedAt = e.At;
            _closing.Add(job);
        }
    }

    private void ApplyJobCancelled(JobCancelled e)
    {
        if (!_jobs.TryGetValue(e.JobId, out var job) || job.IsSettled)
        {
            return;
        }

        foreach (var item in _items.Values.Where(i => i.Job == job).ToList())
        {
            // In flight too: its consumer's task_done will count as a duplicate. Nothing of a cancelled job is worked on purpose.
            Finish(item);
            job.Discarded++;
            _totals = _totals with { Discarded = _totals.Discarded + 1 };
        }

        job.Phase = JobPhase.Cancelled;
        job.ClosedAt ??= e.At;
        job.SettledAt = e.At;
        _closing.Remove(job);
    }

    private void ApplyJobSettled(JobSettled e)
    {
        if (_jobs.TryGetValue(e.JobId, out var job) && job.Phase == JobPhase.Closed)
        {
            job.Phase = JobPhase.Settled;
            job.SettledAt = e.At;
            _closing.Remove(job);
        }
    }

    private void ApplyJobsForgotten(JobsForgotten e)
    {
        foreach (var id in e.JobIds)
        {
            if (!_jobs.TryGetValue(id, out var job) || job == _runJob || !job.IsSettled)
            {
                continue;
            }

            _jobs.Remove(id);
            var deadLetters = _deadLetters.Values.Where(d => d.Job == id).Select(d => d.ItemId).ToList();
            foreach (var itemId in deadLetters)
            {
                _deadLetters.Remove(itemId);
            }

            // Clients' producers go with their job. A node's registered producers stay: the run counts them, and they are few.
            foreach (var producer in _producers.Values.Where(p => p.Job == id && !p.IsAnnounced).ToList())
            {
                _producersIn[(int)producer.Phase]--;
                _producers.Remove(producer.Id);
            }

            // The queue's figures are those of the jobs it remembers, so its accounting still adds up.
            _totals = _totals with
            {
                Accepted = _totals.Accepted - job.Accepted,
                Completed = _totals.Completed - job.Completed,
                Discarded = _totals.Discarded - job.Discarded,
                Dropped = _totals.Dropped - job.Dropped,
            };
        }
    }
}
