namespace ActorPipeline.Coordinator.Hosting;

/// <summary>
/// An ongoing outage of the coordinator's journal, as its supervisor reports it to <see cref="CoordinatorFailure"/>:
/// the coordinator is stopped and restarts after <paramref name="RetryIn"/>. Readiness and the page show it.
/// </summary>
/// <param name="Since">When the outage began.</param>
/// <param name="Reason">The journal's last error.</param>
/// <param name="Failures">Failures in a row so far.</param>
/// <param name="RetryIn">The wait before the next restart.</param>
internal sealed record CoordinatorJournalUnavailable(DateTimeOffset Since, string Reason, int Failures, TimeSpan RetryIn);
