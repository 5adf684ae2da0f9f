namespace ActorPipeline.Tests.Host;

/// <summary>The log templates a user greps for; the specs check them verbatim.</summary>
internal static class Templates
{
    public const string Added = "Producer {ProducerId} added <{Item}> to queue.";
    public const string ProducersFinished = "Producers of this node finished: {Producers}; items added: {Added}.";
    public const string Got = "Consumer {ConsumerId} got element <{Item}> in {Latency} seconds.";
    public const string Cancelled = "Consumer {ConsumerId} cancelled.";
    public const string Joined = "Run over: every producer is done and every accepted item is done.";
    public const string Summary = "Run summary: {Produced} produced, {Accepted} accepted, {Completed} completed, {DeadLettered} dead-lettered, {Discarded} discarded, {NotCompleted} not completed, {Rejected} rejected, {Redelivered} redelivered, {DuplicateAcks} duplicate acks, {ProducersLost} producers lost.";
    public const string Completed = "Program completed in {Elapsed} seconds.";
    public const string Draining = "Stop requested: producers stop (not done: a restart resumes them), items in consumers' hands get up to {DrainTimeout} to finish or are handed back.";
    public const string DrainTimedOut = "Drain timed out after {DrainTimeout}; cancelling consumers, whose unfinished items are handed back, not dropped.";
    public const string RunNotFinished = "Run not finished: this node was stopped before the run ended ({StoppedEarly} of {Producers} producers on it stopped early, {Unfinished} accepted items not yet done); nothing was dropped. Start the node again the same way (same folder or Cluster:NodeName) to resume.";
    public const string SummaryWithoutCoordinator = "Run summary: {Produced} produced by this node, {Rejected} rejected; the queue's figures (accepted, completed, not completed, redelivered) are unknown here: the coordinator did not answer. Its journal keeps them, and the next run's summary reports them.";
    public const string StoppedBeforeRun = "Stopped before the run began on this node (during start-up or while it entered the cluster): nothing was taken or done here. Start it again to take part in the run.";
    public const string StoppedUnfinished = "Program stopped after {Elapsed} seconds; the run is not finished.";
    public const string Drained = "Consumers drained; items finished: {Finished}, handed back to the queue: {HandedBack}.";
    public const string NodeAddress = "This node is {NodeName} at {Address}; its links to other nodes are {Transport}.";
    public const string Resuming = "Producer {ProducerId} resumes after its put {SequenceNr}, which the queue already holds.";
    public const string EndedByCluster = "{Cause}: this node stops; {Items}.";

    public const string JoinTimedOut = "Could not join the cluster within {JoinTimeout} (Cluster:JoinTimeout) through the seeds {Seeds}: are they running, and reachable from here? This node stops; it held no items.";
    public const string DeadLetter = "Dead letter <{Item}> (item {ItemId}, delivery {DeliveryId}) after attempt {Attempts}: {Error}";
}
