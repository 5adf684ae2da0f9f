namespace ActorPipeline.Coordinator.Protocol;

/// <summary>
/// Jobs: named batches that many clients put into and join, each with asyncio's join rule of its own. A job is
/// opened, takes items (puts that name it), is closed for adding, and is settled once every item accepted into
/// it is completed, dead-lettered or discarded. Every command is idempotent, so a client resends it until it is
/// answered, across a coordinator's failover; every answer that says something happened goes out once stored.
/// </summary>
internal static class JobProtocol
{
    /// <summary>
    /// Opens a job under an id the client chose (so a resend opens nothing twice), answered with its
    /// <see cref="JobStatus"/> once stored. An id already open answers its status; a name differing from
    /// the one it was opened with, or an id that is not a valid job id, answers <see cref="JobRefused"/>.
    /// </summary>
    /// <param name="JobId">1–64 characters of [A-Za-z0-9_.-]; see <see cref="JobIds"/>.</param>
    /// <param name="Name">What people call it; 1–200 characters.</param>
    /// <param name="Weight">Items it gets per turn when several jobs have items queued (1–100).</param>
    public sealed record OpenJob(string JobId, string Name, int Weight = 1) : IQueueMessage;

    /// <summary>Closes a job for adding; answered with its status once stored (at once if it was closed already).</summary>
    public sealed record CloseJob(string JobId) : IQueueMessage;

    /// <summary>
    /// Cancels a job on purpose: its queued and in-flight items are discarded and counted, puts into it are refused,
    /// and it is settled at once. Answered with its status once stored. A settled job is not changed.
    /// </summary>
    /// <param name="JobId">The job.</param>
    /// <param name="RequestedBy">Who or what asked, as the log and the journal tell it.</param>
    public sealed record CancelJob(string JobId, string RequestedBy) : IQueueMessage;

    /// <summary>Answered with the job's <see cref="JobStatus"/> once it is settled and that is stored (asyncio's join, per job).</summary>
    public sealed record JoinJob(string JobId) : IQueueMessage;

    /// <summary>Answered at once with the job's <see cref="JobStatus"/>, its dead letters included.</summary>
    public sealed record GetJob(string JobId) : IQueueMessage;

    /// <summary>Answered at once with <see cref="JobList"/>: every job the coordinator remembers, newest first, without dead letters.</summary>
    public sealed class GetJobs : IQueueMessage
    {
        public static readonly GetJobs Instance = new();
        private GetJobs() { }
    }

    public sealed record JobList(IReadOnlyList<JobStatus> Jobs) : IQueueMessage;

    /// <summary>No job has this id (never opened, or settled and forgotten past its retention).</summary>
    public sealed record JobUnknown(string JobId) : IQueueMessage;

    /// <summary>The command was refused as it stands; <paramref name="Reason"/> says why, for the caller to show.</summary>
    public sealed record JobRefused(string JobId, string Reason) : IQueueMessage;

    /// <summary>One job at one instant. At every instant Accepted = Completed + DeadLettered + Discarded + Queued + InFlight.</summary>
    /// <param name="JobId">Its id.</param>
    /// <param name="Name">Its name.</param>
    /// <param name="Phase">Open, closed, settled or cancelled.</param>
    /// <param name="Weight">Items it gets per turn.</param>
    /// <param name="Accepted">Items accepted into it.</param>
    /// <param name="Completed">Items marked done.</param>
    /// <param name="DeadLettered">Items whose handler gave up, and still dead letters.</param>
    /// <param name="Discarded">Items discarded: by a cancel, by an operator's discard of a dead letter, or by an immediate shutdown.</param>
    /// <param name="Queued">Items waiting for a consumer.</param>
    /// <param name="InFlight">Items with a consumer.</param>
    /// <param name="OpenedAt">When it was opened (UTC, the coordinator's clock).</param>
    /// <param name="ClosedAt">When it was closed for adding, if it was.</param>
    /// <param name="SettledAt">When it was settled (or cancelled), if it was.</param>
    /// <param name="Producers">Who put into it, and how many items each had accepted.</param>
    /// <param name="DeadLetters">Its dead letters (at most <see cref="MaxDeadLettersInStatus"/>, oldest first); empty in a <see cref="JobList"/>.</param>
    public sealed record JobStatus(
        string JobId,
        string Name,
        JobPhase Phase,
        int Weight,
        long Accepted,
        long Completed,
        long DeadLettered,
        long Discarded,
        int Queued,
        int InFlight,
        DateTime OpenedAt,
        DateTime? ClosedAt,
        DateTime? SettledAt,
        IReadOnlyList<JobProducer> Producers,
        IReadOnlyList<DeadLetteredItem> DeadLetters) : IQueueMessage
    {
        /// <summary>The most dead letters one status carries; the count says how many there are.</summary>
        public const int MaxDeadLettersInStatus = 100;

        /// <summary>Accepted items not yet settled.</summary>
        public long Unfinished => Queued + InFlight;

        public bool IsSettled => Phase is JobPhase.Settled or JobPhase.Cancelled;
    }

    /// <summary>A producer (a node's producer actor, or a client's put key) of one job, and the items it had accepted.</summary>
    public sealed record JobProducer(string ProducerId, long Accepted);
}
