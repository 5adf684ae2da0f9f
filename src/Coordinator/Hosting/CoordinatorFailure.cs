namespace ActorPipeline.Coordinator.Hosting;

/// <summary>
/// What the host needs to know of this node's coordinator that no message can tell it, because the
/// coordinator is stopped: that it cannot recover the queue (<see cref="Failed"/>: the runner ends the
/// node on it), and whether its journal is failing right now (<see cref="JournalOutage"/>: readiness and
/// the page say so). The coordinator and its supervisor write it, the host reads it: one instance per
/// node, handed to both by the composition (a DI singleton). Like the coordinator, it is node-local:
/// the node hosting the singleton is the one that stops.
/// </summary>
internal sealed class CoordinatorFailure
{
    private readonly TaskCompletionSource<string> _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private volatile CoordinatorJournalUnavailable? _journalOutage;

    /// <summary>Completes, with the reason (already logged at Critical), once the coordinator cannot recover the queue and has stopped for good.</summary>
    public Task<string> Failed => _failed.Task;

    /// <summary>The ongoing outage of the coordinator's journal, if there is one.</summary>
    public CoordinatorJournalUnavailable? JournalOutage => _journalOutage;

    /// <summary>The coordinator cannot recover the queue (data it cannot read, or a journal down past its limit); the first reason stands.</summary>
    public void Fail(string reason) => _failed.TrySetResult(reason);

    /// <summary>The journal failed again: the coordinator is stopped until its next restart.</summary>
    public void JournalFailing(CoordinatorJournalUnavailable outage) => _journalOutage = outage;

    /// <summary>The journal stores writes again: the outage is over.</summary>
    public void JournalBack() => _journalOutage = null;
}
