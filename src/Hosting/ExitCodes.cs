namespace ActorPipeline;

/// <summary>
/// What a node's exit code says about its run (<see cref="ActorPipelineHostExtensions.RunActorPipelineAsync"/> returns one):
/// 0 only when every accepted item is done. Documented in README.
/// </summary>
public static class ExitCodes
{
    /// <summary>Every accepted item was completed (also after a stop request, if the drain finished).</summary>
    public const int Success = 0;

    /// <summary>Start-up failed (invalid configuration or command line) or the run itself failed.</summary>
    public const int Failed = 1;

    /// <summary>The run ended, but some items were dead-lettered after their last attempt.</summary>
    public const int DeadLettered = 2;

    /// <summary>
    /// The node was stopped before the run finished: a stop is not a finish. Nothing was dropped; the
    /// summary counts what is left, and the node started again the same way resumes the run.
    /// </summary>
    public const int Unfinished = 3;

    /// <summary>A producer's item source failed or a producer died, so not every item was produced.</summary>
    public const int ProducerFailed = 4;
}
