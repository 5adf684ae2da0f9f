namespace ActorPipeline.Coordinator.Protocol;

/// <summary>
/// Published on the local event stream while the coordinator's journal fails: the coordinator is
/// stopped and restarts after <paramref name="RetryIn"/>. The Host's readiness and page show it.
/// </summary>
/// <param name="Since">When the outage began.</param>
/// <param name="Reason">The journal's last error.</param>
/// <param name="Failures">Failures in a row so far.</param>
/// <param name="RetryIn">The wait before the next restart.</param>
internal sealed record CoordinatorJournalUnavailable(DateTimeOffset Since, string Reason, int Failures, TimeSpan RetryIn);
