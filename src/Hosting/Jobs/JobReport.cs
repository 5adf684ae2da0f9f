namespace ActorPipeline;

/// <summary>
/// One job at one instant, as the coordinator journals it. At every instant
/// <see cref="Accepted"/> = <see cref="Completed"/> + <see cref="DeadLettered"/> + <see cref="Discarded"/> + <see cref="Unfinished"/>.
/// </summary>
/// <param name="Id">The job's id.</param>
/// <param name="Name">Its name.</param>
/// <param name="State">Open, closed, settled or cancelled.</param>
/// <param name="Weight">Items it gets per turn when several jobs have items queued.</param>
/// <param name="Accepted">Items accepted into it.</param>
/// <param name="Completed">Items its handler completed.</param>
/// <param name="DeadLettered">Items whose handler gave up (still dead letters).</param>
/// <param name="Discarded">Items discarded: by a cancel, by an operator's discard of a dead letter, or by an immediate shutdown.</param>
/// <param name="Unfinished">Accepted items not yet settled: <see cref="Queued"/> + <see cref="InFlight"/>.</param>
/// <param name="Queued">Items waiting for a consumer.</param>
/// <param name="InFlight">Items a consumer holds.</param>
/// <param name="OpenedAt">When it was opened (the coordinator's clock).</param>
/// <param name="ClosedAt">When it was closed for adding, if it was.</param>
/// <param name="SettledAt">When it was settled or cancelled, if it was.</param>
/// <param name="Duration">From its opening to its settling, or to the report's instant while it is not settled.</param>
/// <param name="Producers">Who put into it, and how many items each had accepted.</param>
/// <param name="DeadLetters">
/// Its dead letters, oldest first, at most 100 (<see cref="DeadLettered"/> counts them all); empty in the reports of
/// <see cref="IPipelineJobs.ListAsync"/>.
/// </param>
public sealed record JobReport(
    string Id,
    string Name,
    JobState State,
    int Weight,
    long Accepted,
    long Completed,
    long DeadLettered,
    long Discarded,
    long Unfinished,
    int Queued,
    int InFlight,
    DateTimeOffset OpenedAt,
    DateTimeOffset? ClosedAt,
    DateTimeOffset? SettledAt,
    TimeSpan Duration,
    IReadOnlyList<JobProducerReport> Producers,
    IReadOnlyList<JobDeadLetter> DeadLetters)
{
    /// <summary>Whether the job is settled (or cancelled): nothing of it is left to do.</summary>
    public bool IsSettled => State is JobState.Settled or JobState.Cancelled;
}
