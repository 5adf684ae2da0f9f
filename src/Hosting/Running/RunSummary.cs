using ActorPipeline.Coordinator;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;
using static ActorPipeline.Producers.ProducerProtocol;

namespace ActorPipeline.Hosting.Running;

/// <summary>What a run did, as a node's runner reports it at the end.</summary>
/// <param name="Produced">Items this node's producers offered to the queue.</param>
/// <param name="Accepted">Items the queue accepted (the whole run).</param>
/// <param name="Completed">Items marked done, each counted once however often it was processed.</param>
/// <param name="DeadLettered">Items whose handler failed on every attempt.</param>
/// <param name="NotCompleted">Accepted items neither completed, dead-lettered nor discarded when the run ended.</param>
/// <param name="Rejected">Items the queue refused this node's producers: it was shut down, or the item was over Pipeline:Queue:MaxItemBytes.</param>
/// <param name="Redelivered">Items queued again after their delivery was handed back, timed out or lost with its consumer.</param>
/// <param name="DuplicateAcks">task_done messages for items already completed (an item processed twice), ignored.</param>
/// <param name="ProducersLost">Producers that stopped, or whose node went, before they finished.</param>
/// <param name="Interrupted">Whether a stop request cut this node's part short.</param>
/// <param name="RunEnded">Whether the coordinator declared the run over (every producer done, every accepted item done).</param>
/// <param name="FailedProducers">This node's producers whose source failed or that died.</param>
/// <param name="DeadLetters">The dead-lettered items with their last error (on the node that hosts the coordinator).</param>
/// <param name="Elapsed">Wall-clock time of the run on this node.</param>
/// <param name="Discarded">Dead letters an operator discarded in this run: settled, and not counted against the exit code.</param>
/// <param name="AccountingKnown">Whether the coordinator answered with the run's figures; if not, the queue's counts are unknown here (not 0).</param>
/// <param name="EndedByOperator">An operator ended the run for adding before every producer had finished.</param>
/// <param name="UnsettledJobs">A service's: jobs not settled when it stopped (-1 if the coordinator did not say); null for a batch run.</param>
internal sealed record RunSummary(
    long Produced,
    long Accepted,
    long Completed,
    long DeadLettered,
    long NotCompleted,
    long Rejected,
    long Redelivered,
    long DuplicateAcks,
    int ProducersLost,
    bool Interrupted,
    bool RunEnded,
    int FailedProducers,
    IReadOnlyList<DeadLetteredItem> DeadLetters,
    TimeSpan Elapsed,
    long Discarded = 0,
    bool EndedByOperator = false,
    bool AccountingKnown = true,
    int? UnsettledJobs = null)
{
    /// <summary>
    /// The figures a batch run and a service report alike: this node's producers' (if it has any) and the
    /// coordinator's (unknown, not 0, when it did not answer). What differs, the caller sets with <c>with</c>.
    /// </summary>
    public static RunSummary Of(ProducersFinished? gathered, QueueStatus? status, bool interrupted, bool runEnded, TimeSpan elapsed) => new(
        Produced: gathered is null ? 0 : gathered.Added + gathered.Rejected,
        Accepted: status?.Accepted ?? 0,
        Completed: status?.Completed ?? 0,
        DeadLettered: status?.DeadLettered ?? 0,
        NotCompleted: status?.Unfinished ?? 0,
        Rejected: gathered?.Rejected ?? 0,
        Redelivered: status?.Redelivered ?? 0,
        DuplicateAcks: status?.DuplicateAcks ?? 0,
        ProducersLost: status?.ProducersLost ?? 0,
        Interrupted: interrupted,
        RunEnded: runEnded,
        FailedProducers: gathered?.Failed ?? 0,
        DeadLetters: [],
        Elapsed: elapsed,
        Discarded: status?.Discarded ?? 0,
        EndedByOperator: status?.EndedByOperator ?? false,
        AccountingKnown: status is not null);

    /// <summary>
    /// The process exit code this outcome maps to (see <see cref="ExitCodes"/>). A service's is 0 only when no job is
    /// left unsettled (exit 0 means the work is done), else <see cref="ExitCodes.Unfinished"/>.
    /// </summary>
    public int ExitCode =>
        UnsettledJobs is { } unsettled ? (unsettled == 0 ? ExitCodes.Success : ExitCodes.Unfinished)
        : !RunEnded ? ExitCodes.Unfinished
        : FailedProducers > 0 || ProducersLost > 0 ? ExitCodes.ProducerFailed
        : DeadLettered > 0 ? ExitCodes.DeadLettered
        : ExitCodes.Success;
}
