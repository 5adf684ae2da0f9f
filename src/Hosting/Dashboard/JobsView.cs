namespace ActorPipeline.Hosting.Dashboard;

/// <summary>
/// The jobs part of the page: every job the coordinator remembers, up to a bound, so that a service with thousands
/// of jobs still sends each open page a small update. The counts say how many there are in all.
/// </summary>
/// <param name="Answering">Whether the coordinator answered the last <see cref="JobProtocol.GetJobs"/> (false: the rows are the last it gave).</param>
/// <param name="Unsettled">Jobs open or closed, not yet settled.</param>
/// <param name="Settled">Jobs settled or cancelled that the coordinator still remembers (<c>Pipeline:Jobs:Retention</c>).</param>
/// <param name="Jobs">
/// The newest <see cref="MaxUnsettled"/> unsettled jobs, then the newest <see cref="MaxSettled"/> settled ones, each
/// newest opened first.
/// </param>
internal sealed record JobsView(bool Answering, int Unsettled, int Settled, IReadOnlyList<JobView> Jobs)
{
    public const int MaxUnsettled = 200;

    public const int MaxSettled = 100;

    public static readonly JobsView None = new(false, 0, 0, []);
}
