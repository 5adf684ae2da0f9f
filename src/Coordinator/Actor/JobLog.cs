using Microsoft.Extensions.Logging;

namespace ActorPipeline.Coordinator.Actor;

/// <summary>The coordinator's log events about jobs, source-generated so a disabled level costs nothing.</summary>
internal static partial class JobLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} \"{Name}\" opened (weight {Weight}).")]
    public static partial void JobOpened(this ILogger log, string jobId, string name, int weight);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} closed for adding: {Accepted} items accepted, {Unfinished} still to settle.")]
    public static partial void JobClosed(this ILogger log, string jobId, long accepted, long unfinished);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} cancelled by {RequestedBy}: {Unfinished} unfinished items discarded.")]
    public static partial void JobCancelled(this ILogger log, string jobId, string requestedBy, long unfinished);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} settled: {Accepted} accepted, {Completed} completed, {DeadLettered} dead-lettered, {Discarded} discarded, {Seconds:0.000} s after it opened.")]
    public static partial void JobSettled(this ILogger log, string jobId, long accepted, long completed, long deadLettered, long discarded, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Forgot {Count} settled jobs past their retention (Pipeline:Jobs:Retention): {JobIds}.")]
    public static partial void JobsForgotten(this ILogger log, int count, string jobIds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused put {SequenceNr} of {ProducerId}: there is no job {JobId} (never opened, or forgotten past its retention).")]
    public static partial void PutIntoUnknownJob(this ILogger log, string producerId, long sequenceNr, string jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused put {SequenceNr} of {ProducerId} into job {JobId}: that job takes no more items, or the producer puts into job {ProducerJob}.")]
    public static partial void PutIntoClosedJob(this ILogger log, string producerId, long sequenceNr, string jobId, string producerJob);
}
