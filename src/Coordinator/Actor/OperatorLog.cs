using Microsoft.Extensions.Logging;

namespace ActorPipeline.Coordinator.Actor;

/// <summary>
/// The coordinator's log events for what operators ask of a run (discarding dead letters, ending the
/// run), apart from <see cref="CoordinatorLog"/> so that these actions read as one group.
/// </summary>
internal static partial class OperatorLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Discarded {Count} dead letters (items {ItemIds}): they are settled for this run and will never be delivered again.")]
    public static partial void DeadLettersDiscarded(this ILogger log, int count, string itemIds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunNumber} ended for adding at the request of {RequestedBy}: {ProducersEnded} producers not yet done count as done and put nothing more; the run completes once its {Unfinished} unfinished items are settled.")]
    public static partial void RunEnded(this ILogger log, long runNumber, string requestedBy, int producersEnded, int unfinished);

    [LoggerMessage(Level = LogLevel.Information, Message = "Put {SequenceNr} of producer {ProducerId} refused: an operator ended run {RunNumber} for adding.")]
    public static partial void PutAfterRunEnded(this ILogger log, string producerId, long sequenceNr, long runNumber);
}
