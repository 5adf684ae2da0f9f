using Microsoft.Extensions.Logging;

namespace ActorPipeline.Hosting.Logging;

/// <summary>The runner's log events.</summary>
internal static partial class HostLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Starting node with roles {NodeRoles}; producers: {Producers}, consumers: {Consumers} (queue capacity {Capacity}, items {ItemType}).")]
    public static partial void Starting(ILogger log, string nodeRoles, int producers, int consumers, int capacity, string itemType);

    [LoggerMessage(Level = LogLevel.Information, Message = "This node is {NodeName} at {Address}; its links to other nodes are {Transport}.")]
    public static partial void Address(ILogger log, string nodeName, string address, string transport);

    [LoggerMessage(Level = LogLevel.Information, Message = "Producers of this node finished: {Producers}; items added: {Added}.")]
    public static partial void ProducersFinished(ILogger log, int producers, long added);

    [LoggerMessage(Level = LogLevel.Information, Message = "Producers of this node stopped on request: {StoppedEarly} of {Producers} before their source ended (not done); items added: {Added}.")]
    public static partial void ProducersStopped(ILogger log, int stoppedEarly, int producers, long added);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run over: every producer is done and every accepted item is done.")]
    public static partial void Joined(ILogger log);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stop requested: producers stop (not done: a restart resumes them), items in consumers' hands get up to {DrainTimeout} to finish or are handed back.")]
    public static partial void Draining(ILogger log, TimeSpan drainTimeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Drain timed out after {DrainTimeout}; cancelling consumers, whose unfinished items are handed back, not dropped.")]
    public static partial void DrainTimedOut(ILogger log, TimeSpan drainTimeout);

    [LoggerMessage(Level = LogLevel.Information, Message = "Consumers cancelled: {Consumers}.")]
    public static partial void ConsumersCancelled(ILogger log, int consumers);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run summary: {Produced} produced, {Accepted} accepted, {Completed} completed, {DeadLettered} dead-lettered, {Discarded} discarded, {NotCompleted} not completed, {Rejected} rejected, {Redelivered} redelivered, {DuplicateAcks} duplicate acks, {ProducersLost} producers lost.")]
    public static partial void Summary(ILogger log, long produced, long accepted, long completed, long deadLettered, long discarded, long notCompleted, long rejected, long redelivered, long duplicateAcks, int producersLost);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The run was ended by an operator before every producer had finished: what they had not put was never accepted.")]
    public static partial void RunEndedByOperator(ILogger log);

    [LoggerMessage(Level = LogLevel.Information, Message = "Consumers drained; items finished: {Finished}, handed back to the queue: {HandedBack}.")]
    public static partial void ConsumersDrained(ILogger log, int finished, int handedBack);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run summary: {Produced} produced by this node, {Rejected} rejected; the queue's figures (accepted, completed, not completed, redelivered) are unknown here: the coordinator did not answer. Its journal keeps them, and the next run's summary reports them.")]
    public static partial void SummaryWithoutCoordinator(ILogger log, long produced, long rejected);

    [LoggerMessage(Level = LogLevel.Information, Message = "Program stopped after {Elapsed} seconds; {Jobs}.")]
    public static partial void StoppedWithJobsUnsettled(ILogger log, decimal elapsed, string jobs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run not finished: this node was stopped before the run ended ({StoppedEarly} of {Producers} producers on it stopped early); nothing was dropped. Start the node again the same way (same folder or Cluster:NodeName) to resume.")]
    public static partial void RunNotFinishedUnknown(ILogger log, int stoppedEarly, int producers);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Other nodes were still up {Grace} after the run ended; leaving anyway.")]
    public static partial void NodesStillUp(ILogger log, TimeSpan grace);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead letter <{Item}> (item {ItemId}, delivery {DeliveryId}) after attempt {Attempts}: {Error}")]
    public static partial void DeadLetter(ILogger log, string item, long itemId, long deliveryId, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Program completed in {Elapsed} seconds.")]
    public static partial void Completed(ILogger log, decimal elapsed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Program stopped after {Elapsed} seconds; the run is not finished.")]
    public static partial void StoppedUnfinished(ILogger log, decimal elapsed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run not finished: this node was stopped before the run ended ({StoppedEarly} of {Producers} producers on it stopped early, {Unfinished} accepted items not yet done); nothing was dropped. Start the node again the same way (same folder or Cluster:NodeName) to resume.")]
    public static partial void RunNotFinished(ILogger log, int stoppedEarly, int producers, long unfinished);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Could not join the cluster within {JoinTimeout} (Cluster:JoinTimeout) through the seeds {Seeds}: are they running, and reachable from here? This node stops; it held no items.")]
    public static partial void JoinTimedOut(ILogger log, TimeSpan joinTimeout, string seeds);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The node name {NodeName} is already taken by the live member {Member}: every node needs a name of its own (Cluster:NodeName). This node stops; it held no items.")]
    public static partial void NameTaken(ILogger log, string nodeName, string member);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No answer from the coordinator for {Seconds} s: is a node with role coordinator up and reachable? This node keeps asking.")]
    public static partial void CoordinatorSilent(ILogger log, double seconds);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The journal {File} {Problem}: {Remedy}. Exiting.")]
    public static partial void JournalUnusable(ILogger log, string file, string problem, string remedy);

    [LoggerMessage(Level = LogLevel.Error, Message = "The journal {File} {Problem}: {Remedy}; until then the coordinator's writes fail.")]
    public static partial void JournalDiskFull(ILogger log, string file, string problem, string remedy);

    [LoggerMessage(Level = LogLevel.Information, Message = "The disk holding the journal {File} has room again ({FreeKiB} KiB free).")]
    public static partial void JournalDiskHasRoom(ILogger log, string file, long freeKiB);

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Cause}: this node stops; {Items}.")]
    public static partial void EndedByCluster(ILogger log, string cause, string items);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The run failed.")]
    public static partial void RunFailed(ILogger log, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopped before the run began on this node (during start-up or while it entered the cluster): nothing was taken or done here. Start it again to take part in the run.")]
    public static partial void StoppedBeforeRun(ILogger log);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run not finished: this node was stopped before the run ended ({Unfinished} accepted items not yet done); nothing was dropped, and what it held was finished or handed back. Start it again to rejoin the run.")]
    public static partial void RunNotFinishedWithoutProducers(ILogger log, long unfinished);
}
