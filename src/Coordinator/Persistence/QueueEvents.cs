using static ActorPipeline.Coordinator.Protocol.JobProtocol;

namespace ActorPipeline.Coordinator.Persistence;

/// <summary>
/// What the coordinator journals. Replaying them rebuilds every accepted, unfinished item, the
/// producers' sequence numbers (so resends stay deduplicated across a crash) and the run's counts.
/// Every choice the coordinator made (item and delivery ids, which items went out) is in the
/// events, so a replay reaches the same state. Hand-backs and timeouts are not journaled:
/// recovery re-queues every item that was not completed anyway.
/// </summary>
internal static class QueueEvents
{
    /// <summary>
    /// Items of a put admitted into <paramref name="Job"/>, with ids from <paramref name="FirstItemId"/>; <paramref name="PutComplete"/>
    /// when it was the put's last part. Journals from before jobs name none: their items are the batch run's.
    /// </summary>
    public sealed record ItemsAccepted(string ProducerId, long SequenceNr, long FirstItemId, IReadOnlyList<QueueItem> Items, bool PutComplete, string Job = JobIds.Run) : IQueueEvent;

    /// <summary>A job was opened; <paramref name="At"/> is the coordinator's clock (UTC), as in every job event.</summary>
    public sealed record JobOpened(string JobId, string Name, int Weight, DateTime At) : IQueueEvent;

    /// <summary>A job was closed for adding: it settles once its accepted items are.</summary>
    public sealed record JobClosed(string JobId, DateTime At) : IQueueEvent;

    /// <summary>A job was cancelled on purpose: its unfinished items are discarded, and it is settled.</summary>
    public sealed record JobCancelled(string JobId, string RequestedBy, DateTime At) : IQueueEvent;

    /// <summary>A closed job's last unfinished item settled: its join is answered from here.</summary>
    public sealed record JobSettled(string JobId, DateTime At) : IQueueEvent;

    /// <summary>Settled jobs past their retention are forgotten, with their client producers and dead letters.</summary>
    public sealed record JobsForgotten(IReadOnlyList<string> JobIds) : IQueueEvent;

    /// <summary>Items handed to a consumer, with consecutive delivery ids from <paramref name="FirstDeliveryId"/>.</summary>
    public sealed record ItemsDelivered(long FirstDeliveryId, IReadOnlyList<long> ItemIds) : IQueueEvent;

    public sealed record ItemsCompleted(IReadOnlyList<long> ItemIds) : IQueueEvent;

    /// <summary>
    /// These deliveries' items went back to the head of the queue, in this order: handed back, held by a
    /// consumer that stopped, not done within the ack timeout, or found lost by a consumer's request.
    /// </summary>
    public sealed record ItemsRequeued(IReadOnlyList<long> DeliveryIds) : IQueueEvent;

    /// <summary>task_done or failure reports for items already finished, ignored and counted.</summary>
    public sealed record AcksIgnored(long Count) : IQueueEvent;

    public sealed record ItemDeadLettered(long ItemId, long DeliveryId, int Attempts, string Error) : IQueueEvent;

    /// <summary>Dead-lettered items put back at the tail of the queue (the <c>dead-letters requeue</c> command).</summary>
    public sealed record DeadLettersRequeued(IReadOnlyList<long> ItemIds) : IQueueEvent;

    /// <summary>
    /// Dead-lettered items removed from the run for good (the <c>dead-letters discard</c> command, or the
    /// operator's page): they count as settled, neither completed nor dead-lettered, and are never delivered again.
    /// </summary>
    public sealed record DeadLettersDiscarded(IReadOnlyList<long> ItemIds) : IQueueEvent;

    /// <summary>
    /// An operator ended the run for adding (the <c>run end</c> command, or the operator's page):
    /// every registered producer not yet done counts as done from here, and puts not yet accepted are
    /// refused with <see cref="PutRejection.RunEnded"/>; the run completes once its accepted items are settled.
    /// </summary>
    /// <param name="RequestedBy">Who or what asked, as the log and the journal tell it.</param>
    public sealed record RunEndedByOperator(string RequestedBy) : IQueueEvent;

    /// <summary>A producer registered (or came back); <paramref name="Node"/> and <paramref name="NodeProducers"/> as in <see cref="QueueProtocol.RegisterProducer"/>.</summary>
    public sealed record ProducerAnnounced(string ProducerId, string Node = "", int NodeProducers = 0) : IQueueEvent;

    public sealed record ProducerCompleted(string ProducerId) : IQueueEvent;

    public sealed record ProducerLost(string ProducerId) : IQueueEvent;

    /// <summary>A producer stopped on request before it was done (<see cref="QueueProtocol.ProducerStopped"/>): the run waits for it to come back.</summary>
    public sealed record ProducerSuspended(string ProducerId) : IQueueEvent;

    public sealed record ShutdownRequested(bool Immediate) : IQueueEvent;

    /// <summary>
    /// The coordinator started again after recovery. Delivery ids of this incarnation start above
    /// every id an earlier one could have handed out without journaling it, so an old id is never reused.
    /// </summary>
    public sealed record IncarnationStarted(long Incarnation) : IQueueEvent;

    /// <summary>The batch run ended; the next start begins a new run (dead letters and requeued items carry over).</summary>
    public sealed record RunFinished(long RunNumber) : IQueueEvent;

    public sealed record RunStarted(long RunNumber) : IQueueEvent;

    /// <summary>
    /// Several commands' events stored as one journal entry, in the order they were applied (group
    /// commit): the journal's cost is per entry, so this is what lets a file journal keep up with the
    /// queue. Replay applies them one by one, exactly as if each had been stored alone.
    /// </summary>
    public sealed record EventGroup(IReadOnlyList<IQueueEvent> Events) : IQueueEvent;

    /// <summary>
    /// An unfinished item in a snapshot, with every delivery id it remembers (a late ack for any still
    /// counts) and, if it was in flight, the current one among them (0 while queued), so that the events
    /// after the snapshot replay onto it exactly as they happened.
    /// </summary>
    public sealed record SnapshotItem(long Id, QueueItem Item, IReadOnlyList<long> DeliveryIds, long CurrentDelivery = 0, int Deliveries = 0, string Job = JobIds.Run);

    /// <summary>A job in a snapshot: its journaled figures (its queued and in-flight counts follow from its items).</summary>
    public sealed record SnapshotJob(
        string Id,
        string Name,
        int Weight,
        JobPhase Phase,
        DateTime OpenedAt,
        DateTime? ClosedAt,
        DateTime? SettledAt,
        long Accepted,
        long Completed,
        long DeadLettered,
        long Discarded,
        long Dropped,
        IReadOnlyList<JobProducer> Producers);

    /// <summary>
    /// A producer in a snapshot. <paramref name="PartialSequenceNr"/> and <paramref name="PartialAdmitted"/>
    /// describe a put admitted in part (it waited for room), so its resend continues after those items.
    /// </summary>
    public sealed record SnapshotProducer(
        string Id,
        long HighestAccepted,
        long Accepted,
        bool Announced,
        ProducerPhase Phase,
        long PartialSequenceNr = long.MinValue,
        int PartialAdmitted = 0,
        string Node = "",
        int NodeProducers = 0,
        string? Job = null);

    /// <summary>
    /// The whole coordinator state after the last journaled event it covers: the queue's totals as the value
    /// the state holds, its unfinished items, the producers of the run, the dead letters and the jobs. Not an event:
    /// nothing replays it, and the serializer is bound to it by name (<see cref="QueueSerializerHostingExtensions"/>).
    /// </summary>
    public sealed record CoordinatorSnapshot(
        QueueTotals Totals,
        IReadOnlyList<SnapshotItem> Items,
        IReadOnlyList<SnapshotProducer> Producers,
        IReadOnlyList<DeadLetteredItem> DeadLetters,
        IReadOnlyList<SnapshotJob> Jobs);
}
