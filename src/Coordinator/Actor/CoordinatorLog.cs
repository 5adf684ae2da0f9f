using Microsoft.Extensions.Logging;

namespace ActorPipeline.Coordinator.Actor;

/// <summary>The coordinator's log events, source-generated so a disabled level costs nothing.</summary>
internal static partial class CoordinatorLog
{
    // No exception: the reason says what is wrong and what to do, and a stack trace after it is noise to an operator.
    [LoggerMessage(Level = LogLevel.Critical, Message = "The coordinator cannot recover the queue from its journal, so it has stopped: {Reason}")]
    public static partial void RecoveryFailed(this ILogger log, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped a get from {Sender} whose credits were {Credits}: credits must be positive.")]
    public static partial void NonPositiveCredits(this ILogger log, int credits, string sender);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored the release of delivery {DeliveryId} from {Sender}: it is not outstanding.")]
    public static partial void UnknownRelease(this ILogger log, long deliveryId, string sender);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Item <{Item}> (delivery {DeliveryId}) dead-lettered after attempt {Attempts}: {Error}")]
    public static partial void DeadLettered(this ILogger log, string item, long deliveryId, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue shut down ({Mode}): {Dropped} queued items dropped, {Queued} left to drain, {InFlight} in flight.")]
    public static partial void ShutDown(this ILogger log, string mode, int dropped, int queued, int inFlight);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consumer {Consumer} stopped holding {Count} unfinished items; they were queued again.")]
    public static partial void ConsumerLostItems(this ILogger log, string consumer, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Producer {ProducerId} is done; items accepted from it: {Accepted}.")]
    public static partial void ProducerDone(this ILogger log, string producerId, long accepted);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Producer {ProducerId} was lost before it finished; items accepted from it: {Accepted}. Whatever it had not put was never accepted.")]
    public static partial void ProducerLost(this ILogger log, string producerId, long accepted);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deliveries not done within {AckTimeout} and not renewed by their consumer (gone, cut off or stuck): {Count}; their items were queued again.")]
    public static partial void DeliveriesExpired(this ILogger log, int count, TimeSpan ackTimeout);

    [LoggerMessage(Level = LogLevel.Information, Message = "Coordinator recovered run {RunNumber} from its journal; unfinished items queued again: {Items}, producers known: {Producers}, dead letters: {DeadLetters}.")]
    public static partial void Recovered(this ILogger log, long runNumber, int items, int producers, int deadLetters);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {FinishedRun} had ended before this start; this start begins run {RunNumber}.")]
    public static partial void NextRunBegins(this ILogger log, long finishedRun, long runNumber);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Saving a snapshot failed; recovery replays more events until the next one succeeds.")]
    public static partial void SnapshotFailed(this ILogger log, Exception error);

    // Debug, with the trace: the supervisor's one Error line says what failed and what happens now.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Journaling {EventType} failed; the coordinator stops, and its supervisor decides whether it starts again.")]
    public static partial void PersistFailed(this ILogger log, string eventType, Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Progress: done {Done} of {Accepted} accepted, {Rate} items/s, outstanding {Outstanding}, oldest waiting {OldestAge} s, producers still producing: {Producing}, ETA {Eta}.")]
    public static partial void Progress(this ILogger log, long done, long accepted, double rate, int outstanding, double oldestAge, int producing, string eta);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused put {SequenceNr} of producer {ProducerId}: an item is {Bytes} bytes, over Pipeline:Queue:MaxItemBytes ({Limit}).")]
    public static partial void ItemTooLarge(this ILogger log, string producerId, long sequenceNr, int bytes, int limit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped an unexpected {MessageType} from {Sender}.")]
    public static partial void UnexpectedMessage(this ILogger log, string messageType, string sender);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Producer {ProducerId} stopped before it was done (its node may have left or died); it counts as lost unless it registers again within {ProducerTimeout}.")]
    public static partial void ProducerAway(this ILogger log, string producerId, TimeSpan producerTimeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused put {SequenceNr} of producer {ProducerId}: run {RunNumber} is over, so nothing more is accepted into it.")]
    public static partial void PutAfterRunOver(this ILogger log, string producerId, long sequenceNr, long runNumber);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Producer node {Node} is in the cluster; the run waits for its producers.")]
    public static partial void ProducerNodeUp(this ILogger log, string node);

    [LoggerMessage(Level = LogLevel.Information, Message = "Producer {ProducerId} was counted lost but is back; the run waits for it again.")]
    public static partial void ProducerBack(this ILogger log, string producerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored producer {ProducerId}'s done after put {LastSequenceNr}: the queue holds its puts up to {HighestAccepted} or one is still waiting for room; it counts as done once it really is.")]
    public static partial void ProducerDoneTooEarly(this ILogger log, string producerId, long lastSequenceNr, long highestAccepted);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consumer {Consumer} no longer holds deliveries it was sent ({Count}): their task_done, release or the deliveries themselves were lost on the way; the items were queued again.")]
    public static partial void ConsumerMessagesLost(this ILogger log, string consumer, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleting old {What} up to {SequenceNr} failed; recovery reads them until a later snapshot's clean-up succeeds.")]
    public static partial void CleanupFailed(this ILogger log, string what, long sequenceNr, Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Item {ItemId} completed by a late task_done of delivery {DeliveryId}, which had expired or been handed back; counted once (a task_done of its later delivery, if any, counts as a duplicate).")]
    public static partial void LateCompletion(this ILogger log, long itemId, long deliveryId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The run waits only for producers stopped on request before they were done: {Producers}. Start their node(s) again to resume them, or end the run on purpose (the run end command, or the operator's page).")]
    public static partial void WaitingForStoppedProducers(this ILogger log, string producers);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Work on item {ItemId} has run longer than Pipeline:Queue:AckTimeout ({AckTimeout}); its consumer renews the item's lease, so it is not redelivered. Consumers that do not renew leases (an older release) would redeliver such items: raise Pipeline:Queue:AckTimeout above your longest work if you run any. Logged once.")]
    public static partial void WorkOutlivesAckTimeout(this ILogger log, long itemId, TimeSpan ackTimeout);

    [LoggerMessage(Level = LogLevel.Error, Message = "The journal failed ({Reason}); the coordinator stopped and restarts in {BackoffSeconds} s to recover from what was stored (failure {Failures} in a row). Producers resend and consumers ask again meanwhile; nothing acknowledged is lost.")]
    public static partial void JournalFailedRestarting(this ILogger log, string reason, double backoffSeconds, int failures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The journal has been failing for {Seconds} s ({Reason}; {Failures} failures in a row): the queue is paused, nothing acknowledged is lost. The coordinator keeps restarting with back-off, for at most Pipeline:Queue:JournalOutageLimit ({Limit}).")]
    public static partial void JournalStillDown(this ILogger log, double seconds, string reason, int failures, TimeSpan limit);

    [LoggerMessage(Level = LogLevel.Information, Message = "The journal stores writes again after {Seconds:0.0} s; the coordinator recovered from what was stored and carries on.")]
    public static partial void JournalBack(this ILogger log, double seconds);

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Message}")]
    public static partial void JournalGaveUp(this ILogger log, string message);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The coordinator could not read its journal ({Reason}); it stops, and its supervisor decides whether it starts again.")]
    public static partial void RecoveryInterrupted(this ILogger log, string reason, Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Producer {ProducerId} stopped on request before it was done (items accepted from it: {Accepted}); the run keeps its place and waits for it to come back, or for an operator to end the run.")]
    public static partial void ProducerStoppedEarly(this ILogger log, string producerId, long accepted);

    [LoggerMessage(Level = LogLevel.Information, Message = "Producer {ProducerId} took back its put {SequenceNr}, which waited for room, as it stopped: {Admitted} of its items were in and stay accepted; the rest are put when it comes back.")]
    public static partial void PutWithdrawn(this ILogger log, string producerId, long sequenceNr, int admitted);
}
