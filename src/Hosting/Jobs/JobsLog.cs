using Microsoft.Extensions.Logging;

namespace ActorPipeline.Hosting.Jobs;

/// <summary>The jobs API's and the service runner's log events about jobs.</summary>
internal static partial class JobsLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Action} from {Remote}: {Reason}.")]
    public static partial void Refused(ILogger log, string action, string remote, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} ({JobName}) opened at the request of {Remote}.")]
    public static partial void Opened(ILogger log, string jobId, string jobName, string remote);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} {Phase} at the request of {Remote}.")]
    public static partial void Changed(ILogger log, string jobId, string phase, string remote);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} ({JobName}) is open for this node's producers.")]
    public static partial void NodeJobOpened(ILogger log, string jobId, string jobName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} of this node's producers is {Phase} already: its producers are not started again.")]
    public static partial void NodeJobNotOpen(ILogger log, string jobId, string phase);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} closed: this node's producers are done ({Accepted} items accepted into it so far).")]
    public static partial void NodeJobClosed(ILogger log, string jobId, long accepted);

    [LoggerMessage(Level = LogLevel.Information, Message = "Did not read the body of {Path} from {Remote}: {Reason}")]
    public static partial void BodyUnread(ILogger log, string path, string remote, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Service stopped with no job unsettled: every job's items are done.")]
    public static partial void ServiceStoppedSettled(ILogger log);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Service stopped with {Unsettled} jobs not settled ({JobIds}); nothing was dropped: they stay open in the journal, and starting the service again continues them.")]
    public static partial void ServiceStoppedUnsettled(ILogger log, int unsettled, string jobIds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Service stopped without knowing which jobs are settled: the coordinator did not answer. The journal keeps every job; starting the service again continues them.")]
    public static partial void ServiceStoppedUnknown(ILogger log);
}
