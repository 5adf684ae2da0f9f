using System.Diagnostics.Metrics;

namespace ActorPipeline.Coordinator.Observability;

/// <summary>
/// The jobs' figures as <see cref="PipelineMetrics"/> exports them: one immutable value per report, so the exporter,
/// on its own thread, never reads half of one. The number of <c>job</c> label values is bounded by
/// <see cref="MaxJobsLabelled"/> (plus <see cref="OtherJobs"/>), whatever the number of jobs.
/// </summary>
/// <param name="Labelled">The jobs exported under their own id: unsettled first, newest opened first.</param>
/// <param name="Other">The sum of every other job, or null when every job is labelled.</param>
/// <param name="ByPhase">How many jobs are in each <see cref="JobPhase"/>, indexed by it.</param>
internal sealed record JobGauges(IReadOnlyList<JobGauges.JobCounts> Labelled, JobGauges.JobCounts? Other, long[] ByPhase)
{
    /// <summary>At most this many jobs get a label value of their own: a time-series database pays for each one.</summary>
    public const int MaxJobsLabelled = 50;

    /// <summary>The label value of the jobs past <see cref="MaxJobsLabelled"/>, summed; never a valid job id.</summary>
    public const string OtherJobs = "(other)";

    /// <summary>The <c>phase</c> label of <c>actorpipeline.jobs</c>, indexed by <see cref="JobPhase"/>.</summary>
    public static readonly string[] PhaseNames = [.. Enum.GetValues<JobPhase>().Select(p => p.ToString().ToLowerInvariant())];

    public static readonly JobGauges None = new([], null, new long[PhaseNames.Length]);

    public static JobGauges Of(IReadOnlyList<JobProtocol.JobStatus> jobs)
    {
        var byPhase = new long[PhaseNames.Length];
        foreach (var job in jobs)
        {
            byPhase[(int)job.Phase]++;
        }

        // The ones an operator watches: still running, then the most recent. The id breaks ties, so that two
        // reports of the same jobs label the same ones (a label that flickers between jobs reads as noise).
        var ordered = jobs
            .OrderBy(j => j.IsSettled)
            .ThenByDescending(j => j.OpenedAt)
            .ThenBy(j => j.JobId, StringComparer.Ordinal)
            .ToList();
        var labelled = ordered.Take(MaxJobsLabelled).Select(j => JobCounts.Of(j.JobId, j)).ToList();
        JobCounts? other = null;
        foreach (var job in ordered.Skip(MaxJobsLabelled))
        {
            other = (other ?? new JobCounts(OtherJobs, 0, 0, 0, 0, 0)).Plus(job);
        }

        return new JobGauges(labelled, other, byPhase);
    }

    /// <summary>One label value's items by state.</summary>
    public sealed record JobCounts(string Job, long Accepted, long Completed, long DeadLettered, long Discarded, long Unfinished)
    {
        public static JobCounts Of(string job, JobProtocol.JobStatus status) =>
            new(job, status.Accepted, status.Completed, status.DeadLettered, status.Discarded, status.Unfinished);

        public JobCounts Plus(JobProtocol.JobStatus status) => this with
        {
            Accepted = Accepted + status.Accepted,
            Completed = Completed + status.Completed,
            DeadLettered = DeadLettered + status.DeadLettered,
            Discarded = Discarded + status.Discarded,
            Unfinished = Unfinished + status.Unfinished,
        };

        public IEnumerable<Measurement<long>> Measurements()
        {
            var job = new KeyValuePair<string, object?>("job", Job);
            yield return new(Accepted, job, new KeyValuePair<string, object?>("state", "accepted"));
            yield return new(Completed, job, new KeyValuePair<string, object?>("state", "completed"));
            yield return new(DeadLettered, job, new KeyValuePair<string, object?>("state", "dead_lettered"));
            yield return new(Discarded, job, new KeyValuePair<string, object?>("state", "discarded"));
            yield return new(Unfinished, job, new KeyValuePair<string, object?>("state", "unfinished"));
        }
    }
}
