namespace ActorPipeline.Hosting.Dashboard;

/// <summary>
/// One job's row: the coordinator's <see cref="JobProtocol.JobStatus"/> of one instant, with the rates and the ETA
/// the page derives from successive readings (<see cref="JobHistory"/>).
/// </summary>
/// <param name="JobId">Its id.</param>
/// <param name="Name">Its name.</param>
/// <param name="Phase">Open, Closed, Settled or Cancelled (<see cref="JobPhase"/>).</param>
/// <param name="Weight">Items it gets per turn when several jobs have items queued.</param>
/// <param name="Accepted">Items accepted into it.</param>
/// <param name="Settled">Items completed, dead-lettered or discarded: its progress is this over <paramref name="Accepted"/>.</param>
/// <param name="Completed">Items marked done.</param>
/// <param name="DeadLettered">Its dead letters.</param>
/// <param name="Discarded">Items discarded.</param>
/// <param name="Queued">Items waiting for a consumer.</param>
/// <param name="InFlight">Items with a consumer.</param>
/// <param name="PutRate">Items accepted per second over <see cref="RunHistory.RateWindow"/>; 0 once settled.</param>
/// <param name="Rate">
/// Items settled per second: over <see cref="RunHistory.RateWindow"/> while it is not settled, over its whole life
/// (opened to settled) once it is, which is what its report says.
/// </param>
/// <param name="EtaSeconds">
/// Closed: its unfinished items over <paramref name="Rate"/>; settled: 0; null while it is open (how much more
/// it gets is its clients' to know) or while nothing settles.
/// </param>
/// <param name="OpenedAtMs">When it was opened, Unix milliseconds.</param>
/// <param name="ClosedAtMs">When it was closed for adding, if it was.</param>
/// <param name="SettledAtMs">When it was settled or cancelled, if it was.</param>
internal sealed record JobView(
    string JobId,
    string Name,
    string Phase,
    int Weight,
    long Accepted,
    long Settled,
    long Completed,
    long DeadLettered,
    long Discarded,
    int Queued,
    int InFlight,
    double PutRate,
    double Rate,
    double? EtaSeconds,
    long OpenedAtMs,
    long? ClosedAtMs,
    long? SettledAtMs);
