using ActorPipeline.Coordinator;

namespace ActorPipeline.Host;

/// <summary>What a run did, as the runner reports it at the end.</summary>
/// <param name="Produced">Items the producers offered to the queue.</param>
/// <param name="Accepted">Items the queue accepted.</param>
/// <param name="Completed">Items marked done.</param>
/// <param name="DeadLettered">Items whose handler failed on every attempt.</param>
/// <param name="NotCompleted">Accepted items neither completed nor dead-lettered when the run ended.</param>
/// <param name="Rejected">Items the queue refused because it was shut down.</param>
/// <param name="Redelivered">Items queued again after a consumer stopped holding them.</param>
/// <param name="Interrupted">Whether a stop request cut the run short.</param>
/// <param name="Joined">Whether the join answered (every accepted item done).</param>
/// <param name="FailedProducers">Producers whose source failed or that died.</param>
/// <param name="DeadLetters">The dead-lettered items with their last error.</param>
/// <param name="Elapsed">Wall-clock time of the run.</param>
public sealed record RunSummary(
    long Produced,
    long Accepted,
    long Completed,
    long DeadLettered,
    long NotCompleted,
    long Rejected,
    long Redelivered,
    bool Interrupted,
    bool Joined,
    int FailedProducers,
    IReadOnlyList<DeadLetteredItem> DeadLetters,
    TimeSpan Elapsed)
{
    /// <summary>The process exit code this outcome maps to (see <see cref="ExitCodes"/>).</summary>
    public int ExitCode =>
        !Joined ? ExitCodes.Unfinished
        : FailedProducers > 0 ? ExitCodes.ProducerFailed
        : DeadLettered > 0 ? ExitCodes.DeadLettered
        : ExitCodes.Success;
}
