using ActorPipeline.Coordinator;

namespace ActorPipeline.Hosting.Dashboard;

/// <summary>
/// What the page shows, as JSON. Every figure is the coordinator's <see cref="QueueProtocol.QueueOverview"/>
/// of one instant (<see cref="Status"/> is its <see cref="QueueProtocol.QueueStatus"/>, the one health and the
/// run summary read); only the rates and the ETA are derived, from successive overviews. <see cref="Jobs"/> comes
/// from the coordinator's job list, read with each overview.
/// </summary>
/// <param name="AtMs">When the overview was read, Unix milliseconds; 0 before the first.</param>
/// <param name="Sequence">Increases by one with every overview read, so a reader can tell a new one from a repeat.</param>
/// <param name="Answering">Whether the coordinator answered the last read (false: the figures are from <paramref name="AtMs"/>).</param>
/// <param name="Phase">Producing, draining, joined or shut down; null before the first overview.</param>
/// <param name="EtaSeconds">While draining, unfinished items over the completion rate; null when that cannot be said.</param>
/// <param name="Status">The coordinator's status in that overview.</param>
/// <param name="PutRate">Items accepted per second over <see cref="RunHistory.RateWindow"/>.</param>
/// <param name="CompletionRate">Items completed per second over <see cref="RunHistory.RateWindow"/>.</param>
/// <param name="Latency">Put→get percentiles of recent deliveries.</param>
/// <param name="Consumers">Each consumer the coordinator knows.</param>
/// <param name="Producers">Each producer of the run.</param>
/// <param name="DeadLetters">How many, and the newest with their errors.</param>
/// <param name="History">The charts' points, oldest first: all of them in a full view, the newest only in a live update.</param>
/// <param name="HistoryMs">How far back the charts reach, milliseconds.</param>
/// <param name="RequeueAllowed">Whether this node takes requeue requests (a token is set).</param>
/// <param name="JournalProblem">While this node's coordinator journal fails: what is wrong and what happens meanwhile; null while it works.</param>
internal sealed record DashboardView(
    long AtMs,
    long Sequence,
    bool Answering,
    string? Phase,
    double? EtaSeconds,
    QueueProtocol.QueueStatus? Status,
    double PutRate,
    double CompletionRate,
    LatencyView Latency,
    IReadOnlyList<ConsumerView> Consumers,
    IReadOnlyList<ProducerView> Producers,
    DeadLettersView DeadLetters,
    IReadOnlyList<RunSample> History,
    long HistoryMs,
    bool RequeueAllowed,
    string? JournalProblem = null)
{
    /// <summary>The jobs the coordinator remembers, with their rates and ETAs (<see cref="JobHistory"/>).</summary>
    public JobsView Jobs { get; init; } = JobsView.None;
}
