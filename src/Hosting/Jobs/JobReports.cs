using ActorPipeline.Coordinator.Protocol;
using static ActorPipeline.Coordinator.Protocol.JobProtocol;

namespace ActorPipeline.Hosting.Jobs;

/// <summary>A coordinator's <see cref="JobStatus"/> as the public <see cref="JobReport"/>.</summary>
internal static class JobReports
{
    public static JobReport From(JobStatus status, ItemFormatter formatter, DateTimeOffset now)
    {
        var opened = Utc(status.OpenedAt);
        var settled = status.SettledAt is { } s ? Utc(s) : (DateTimeOffset?)null;
        var duration = (settled ?? now) - opened;
        return new JobReport(
            status.JobId,
            status.Name,
            StateOf(status.Phase),
            status.Weight,
            status.Accepted,
            status.Completed,
            status.DeadLettered,
            status.Discarded,
            status.Unfinished,
            status.Queued,
            status.InFlight,
            opened,
            status.ClosedAt is { } c ? Utc(c) : null,
            settled,
            duration < TimeSpan.Zero ? TimeSpan.Zero : duration, // another node's clock may be a little ahead
            [.. status.Producers.Select(p => new JobProducerReport(p.ProducerId, p.Accepted))],
            [.. status.DeadLetters.Select(d => new JobDeadLetter(d.ItemId, d.Attempts, d.Error, formatter.Describe(d.Item)))]);
    }

    public static JobState StateOf(JobPhase phase) => phase switch
    {
        JobPhase.Open => JobState.Open,
        JobPhase.Closed => JobState.Closed,
        JobPhase.Settled => JobState.Settled,
        JobPhase.Cancelled => JobState.Cancelled,
        _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, "a job phase this client does not know"),
    };

    private static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));
}
