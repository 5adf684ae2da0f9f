using static ActorPipeline.Coordinator.Persistence.QueueEvents;
using static ActorPipeline.Coordinator.Protocol.JobProtocol;
using static ActorPipeline.Coordinator.Serialization.QueueFormats;
using static ActorPipeline.Coordinator.Serialization.WireValues;
using W = ActorPipeline.Coordinator.Wire;

namespace ActorPipeline.Coordinator.Serialization;

/// <summary>The job protocol's messages and the job events, each with its manifest and its mapping; part of <see cref="QueueFormats.All"/>.</summary>
internal static class JobFormats
{
    private const int StateLimit = QueueMessageSerializer.MaxStateListCount;

    public static IReadOnlyList<QueueFormat> Messages { get; } =
    [
        Format<OpenJob, W.OpenJob>(
            "OJ",
            m => new() { JobId = Out(m.JobId, "OpenJob.JobId"), Name = Out(m.Name, "OpenJob.Name"), Weight = m.Weight },
            w => new(In(w.JobId, "OpenJob.JobId"), In(w.Name, "OpenJob.Name"), w.Weight)),
        Format<CloseJob, W.CloseJob>("CJ", m => new() { JobId = Out(m.JobId, "CloseJob.JobId") }, w => new(In(w.JobId, "CloseJob.JobId"))),
        Format<CancelJob, W.CancelJob>(
            "XJ",
            m => new() { JobId = Out(m.JobId, "CancelJob.JobId"), RequestedBy = Out(m.RequestedBy, "CancelJob.RequestedBy") },
            w => new(In(w.JobId, "CancelJob.JobId"), In(w.RequestedBy, "CancelJob.RequestedBy"))),
        Format<JoinJob, W.JoinJob>("JJ", m => new() { JobId = Out(m.JobId, "JoinJob.JobId") }, w => new(In(w.JobId, "JoinJob.JobId"))),
        Format<GetJob, W.GetJob>("GJ", m => new() { JobId = Out(m.JobId, "GetJob.JobId") }, w => new(In(w.JobId, "GetJob.JobId"))),
        Signal("GJS", GetJobs.Instance),
        Format<JobStatus, W.JobStatus>("JS", ToWire, FromWire),
        Format<JobList, W.JobList>(
            "JL",
            m => new() { Jobs = { Out(m.Jobs, (s, _) => ToWire(s), "JobList.Jobs", StateLimit) } },
            w => new(In(w.Jobs, (s, _) => FromWire(s), "JobList.Jobs", StateLimit))),
        Format<JobUnknown, W.JobUnknown>("JU", m => new() { JobId = Out(m.JobId, "JobUnknown.JobId") }, w => new(In(w.JobId, "JobUnknown.JobId"))),
        Format<JobRefused, W.JobRefused>(
            "JX",
            m => new() { JobId = Out(m.JobId, "JobRefused.JobId"), Reason = Out(m.Reason, "JobRefused.Reason") },
            w => new(In(w.JobId, "JobRefused.JobId"), In(w.Reason, "JobRefused.Reason"))),
    ];

    public static IReadOnlyList<QueueFormat> Events { get; } =
    [
        Format<JobOpened, W.JobOpened>(
            "EJO",
            m => new() { JobId = Out(m.JobId, "JobOpened.JobId"), Name = Out(m.Name, "JobOpened.Name"), Weight = m.Weight, AtTicks = Ticks(m.At) },
            w => new(In(w.JobId, "JobOpened.JobId"), In(w.Name, "JobOpened.Name"), w.Weight, PutAt(w.AtTicks, "JobOpened.At"))),
        Format<JobClosed, W.JobClosed>(
            "EJC",
            m => new() { JobId = Out(m.JobId, "JobClosed.JobId"), AtTicks = Ticks(m.At) },
            w => new(In(w.JobId, "JobClosed.JobId"), PutAt(w.AtTicks, "JobClosed.At"))),
        Format<JobCancelled, W.JobCancelled>(
            "EJX",
            m => new() { JobId = Out(m.JobId, "JobCancelled.JobId"), RequestedBy = Out(m.RequestedBy, "JobCancelled.RequestedBy"), AtTicks = Ticks(m.At) },
            w => new(In(w.JobId, "JobCancelled.JobId"), In(w.RequestedBy, "JobCancelled.RequestedBy"), PutAt(w.AtTicks, "JobCancelled.At"))),
        Format<JobSettled, W.JobSettled>(
            "EJS",
            m => new() { JobId = Out(m.JobId, "JobSettled.JobId"), AtTicks = Ticks(m.At) },
            w => new(In(w.JobId, "JobSettled.JobId"), PutAt(w.AtTicks, "JobSettled.At"))),
        Format<JobsForgotten, W.JobsForgotten>(
            "EJF",
            m => new() { JobIds = { m.JobIds.Select(id => Out(id, "JobsForgotten.JobIds")) } },
            w => new([.. w.JobIds.Select(id => In(id, "JobsForgotten.JobIds"))])),
    ];

    public static W.JobStatus ToWire(JobStatus s) => new()
    {
        JobId = Out(s.JobId, "JobStatus.JobId"),
        Name = Out(s.Name, "JobStatus.Name"),
        Phase = Out(s.Phase),
        Weight = s.Weight,
        Accepted = s.Accepted,
        Completed = s.Completed,
        DeadLettered = s.DeadLettered,
        Discarded = s.Discarded,
        Queued = s.Queued,
        InFlight = s.InFlight,
        OpenedAtTicks = OutTime(s.OpenedAt),
        ClosedAtTicks = OutTime(s.ClosedAt),
        SettledAtTicks = OutTime(s.SettledAt),
        Producers = { Out(s.Producers, Out, "JobStatus.Producers", StateLimit) },
        DeadLetters = { Out(s.DeadLetters, Out, "JobStatus.DeadLetters") },
    };

    public static JobStatus FromWire(W.JobStatus s) => new(
        In(s.JobId, "JobStatus.JobId"),
        In(s.Name, "JobStatus.Name"),
        In(s.Phase),
        s.Weight,
        s.Accepted,
        s.Completed,
        s.DeadLettered,
        s.Discarded,
        s.Queued,
        s.InFlight,
        PutAt(s.OpenedAtTicks, "JobStatus.OpenedAt"),
        InTime(s.ClosedAtTicks, "JobStatus.ClosedAt"),
        InTime(s.SettledAtTicks, "JobStatus.SettledAt"),
        In(s.Producers, In, "JobStatus.Producers", StateLimit),
        In(s.DeadLetters, In, "JobStatus.DeadLetters"));

    public static W.SnapshotJob ToWire(SnapshotJob j, string field) => new()
    {
        Id = Out(j.Id, field),
        Name = Out(j.Name, field),
        Weight = j.Weight,
        Phase = Out(j.Phase),
        OpenedAtTicks = OutTime(j.OpenedAt),
        ClosedAtTicks = OutTime(j.ClosedAt),
        SettledAtTicks = OutTime(j.SettledAt),
        Accepted = j.Accepted,
        Completed = j.Completed,
        DeadLettered = j.DeadLettered,
        Discarded = j.Discarded,
        Dropped = j.Dropped,
        Producers = { Out(j.Producers, Out, "CoordinatorSnapshot.Jobs.Producers", StateLimit) },
    };

    public static SnapshotJob FromWire(W.SnapshotJob j, string field) => new(
        In(j.Id, field),
        In(j.Name, field),
        j.Weight,
        In(j.Phase),
        PutAt(j.OpenedAtTicks, field),
        InTime(j.ClosedAtTicks, field),
        InTime(j.SettledAtTicks, field),
        j.Accepted,
        j.Completed,
        j.DeadLettered,
        j.Discarded,
        j.Dropped,
        In(j.Producers, In, "CoordinatorSnapshot.Jobs.Producers", StateLimit));
}
