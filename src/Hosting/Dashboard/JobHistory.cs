using static ActorPipeline.Coordinator.Protocol.JobProtocol;

namespace ActorPipeline.Hosting.Dashboard;

/// <summary>
/// The page's memory of the jobs, apart from any actor or web server: the coordinator's job lists as they are read,
/// and for each job not yet settled a short window of its counts, from which its rates and ETA are derived. The
/// window is bounded per job (<see cref="RunHistory.RateWindow"/>, at most <see cref="MaxSamplesPerJob"/> readings),
/// and a job that is no longer listed (settled, or forgotten by the coordinator) loses its window at once.
/// </summary>
internal sealed class JobHistory(TimeProvider time)
{
    /// <summary>However often the page samples, a job's window holds no more readings than this.</summary>
    public const int MaxSamplesPerJob = 64;

    private readonly Dictionary<string, Queue<JobSample>> _windows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (double PutRate, double Rate)> _rates = new(StringComparer.Ordinal);
    private IReadOnlyList<JobStatus> _latest = [];
    private bool _answering;

    /// <summary>How many jobs have a window now: the memory this class holds is bounded by the jobs listed.</summary>
    public int Windows => _windows.Count;

    /// <summary>Takes the coordinator's list of every job it remembers.</summary>
    public void Add(IReadOnlyList<JobStatus> jobs)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var listed = new HashSet<string>(StringComparer.Ordinal);
        _rates.Clear();
        foreach (var job in jobs)
        {
            if (job.IsSettled || !listed.Add(job.JobId))
            {
                continue;
            }

            if (!_windows.TryGetValue(job.JobId, out var window))
            {
                _windows[job.JobId] = window = new Queue<JobSample>();
            }

            var sample = new JobSample(now, job.Accepted, SettledOf(job));
            window.Enqueue(sample);
            while (window.Count > MaxSamplesPerJob || (window.Count > 2 && now - window.Peek().AtMs > RunHistory.RateWindow.TotalMilliseconds))
            {
                window.Dequeue();
            }

            var baseline = window.Peek();
            var seconds = (now - baseline.AtMs) / 1000.0;
            _rates[job.JobId] = (Rate(sample.Accepted, baseline.Accepted, seconds), Rate(sample.Settled, baseline.Settled, seconds));
        }

        // Settled or forgotten: its window goes, and a job id used again later starts afresh.
        foreach (var gone in _windows.Keys.Where(id => !listed.Contains(id)).ToList())
        {
            _windows.Remove(gone);
        }

        _latest = jobs;
        _answering = true;
    }

    /// <summary>The coordinator did not answer: the page keeps the last rows and says so.</summary>
    public void Unanswered() => _answering = false;

    /// <summary>The rows, bounded as <see cref="JobsView"/> says, newest opened first within each part.</summary>
    public JobsView View()
    {
        var unsettled = _latest.Where(j => !j.IsSettled).OrderByDescending(j => j.OpenedAt).ToList();
        var settled = _latest.Where(j => j.IsSettled).OrderByDescending(j => j.OpenedAt).ToList();
        return new JobsView(
            _answering,
            unsettled.Count,
            settled.Count,
            [.. unsettled.Take(JobsView.MaxUnsettled).Select(ViewOf), .. settled.Take(JobsView.MaxSettled).Select(ViewOf)]);
    }

    /// <summary>One job's row, with the rates of the last reading that listed it (none for a job not yet seen).</summary>
    public JobView ViewOf(JobStatus job)
    {
        var settled = SettledOf(job);
        var (putRate, rate) = job.IsSettled ? (0, LifetimeRate(job, settled)) : _rates.GetValueOrDefault(job.JobId);
        double? eta = job.Phase switch
        {
            JobPhase.Settled or JobPhase.Cancelled => 0,
            JobPhase.Closed when job.Unfinished == 0 => 0,
            JobPhase.Closed when rate > 0 => job.Unfinished / rate,
            _ => null,
        };
        return new JobView(
            job.JobId,
            job.Name,
            job.Phase.ToString(),
            job.Weight,
            job.Accepted,
            settled,
            job.Completed,
            job.DeadLettered,
            job.Discarded,
            job.Queued,
            job.InFlight,
            putRate,
            rate,
            eta,
            UnixMs(job.OpenedAt),
            job.ClosedAt is { } closed ? UnixMs(closed) : null,
            job.SettledAt is { } at ? UnixMs(at) : null);
    }

    private static long SettledOf(JobStatus job) => job.Completed + job.DeadLettered + job.Discarded;

    private static double LifetimeRate(JobStatus job, long settled) =>
        job.SettledAt is { } at ? Rate(settled, 0, (at - job.OpenedAt).TotalSeconds) : 0;

    private static long UnixMs(DateTime utc) => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToUnixTimeMilliseconds();

    /// <summary>Per second; a count that went down reads as no progress, not a negative rate.</summary>
    private static double Rate(long now, long before, double seconds) => seconds <= 0 ? 0 : Math.Max(0, now - before) / seconds;

    private readonly record struct JobSample(long AtMs, long Accepted, long Settled);
}
