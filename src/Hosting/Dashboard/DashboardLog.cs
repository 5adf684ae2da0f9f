using Microsoft.Extensions.Logging;

namespace ActorPipeline.Hosting.Dashboard;

/// <summary>The dashboard's log events.</summary>
internal static partial class DashboardLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "The coordinator has not answered the dashboard for {Silence}; the page shows the last figures it had.")]
    public static partial void CoordinatorSilent(ILogger log, TimeSpan silence);

    [LoggerMessage(Level = LogLevel.Information, Message = "The dashboard's coordinator answers again.")]
    public static partial void CoordinatorAnswersAgain(ILogger log);

    [LoggerMessage(Level = LogLevel.Information, Message = "The coordinator answers the dashboard's overview but not its list of jobs (a node that does not know jobs yet?); the page shows no jobs until it does.")]
    public static partial void JobListUnanswered(ILogger log);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a requeue from {Remote}: {Reason}.")]
    public static partial void RequeueRefused(ILogger log, string remote, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Requeued dead letters at the request of {Remote} ({Asked}): {Count} put back on the queue.")]
    public static partial void Requeued(ILogger log, int count, string remote, string asked);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Action} from {Remote}: {Reason}.")]
    public static partial void ActionRefused(ILogger log, string action, string remote, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discarded dead letters at the request of {Remote} ({Asked}): {Count} removed from the run for good.")]
    public static partial void Discarded(ILogger log, int count, string remote, string asked);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ended the run at the request of {Remote}: {ProducersEnded} producers ended early (already over: {AlreadyOver}).")]
    public static partial void RunEnded(ILogger log, string remote, int producersEnded, bool alreadyOver);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The dashboard could not read the coordinator's overview.")]
    public static partial void SampleFailed(ILogger log, Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "The dashboard's view after a requeue will come with the next reading: {Reason}.")]
    public static partial void RefreshAfterRequeueFailed(ILogger log, string reason);
}
