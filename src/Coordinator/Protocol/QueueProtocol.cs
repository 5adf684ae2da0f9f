namespace ActorPipeline.Coordinator.Protocol;

/// <summary>
/// Everything producers, consumers and the runner may say to the coordinator, and its replies.
/// It is asyncio.Queue's contract as messages: put/put_nowait, get/get_nowait, task_done, join,
/// qsize/empty/full and shutdown, widened with batches and credit windows so that many items can
/// share one message.
/// </summary>
internal static class QueueProtocol
{
    // ---- producers -------------------------------------------------------------------------

    /// <summary>
    /// Puts a batch of items. With <paramref name="Wait"/> (asyncio <c>await put</c>) items are admitted
    /// in order as room frees and the reply comes when the last one is in. Without it
    /// (<c>put_nowait</c>) the whole batch is admitted at once or refused with <see cref="PutRejection.Full"/>.
    /// <paramref name="Job"/> is the job the items go into (<see cref="JobIds.Run"/>, the batch run's, unless
    /// a client names another); a producer puts into one job only.
    /// </summary>
    public sealed record Put(string ProducerId, long SequenceNr, IReadOnlyList<QueueItem> Items, bool Wait = true, string Job = JobIds.Run) : IQueueMessage;

    /// <summary>Every item of the put with this sequence number is in the queue.</summary>
    public sealed record PutAccepted(string ProducerId, long SequenceNr, int Count) : IQueueMessage;

    /// <summary>
    /// The put was refused; its first <paramref name="Accepted"/> items had been admitted before
    /// (a parked batch released by shutdown), the rest were not.
    /// </summary>
    public sealed record PutRejected(string ProducerId, long SequenceNr, PutRejection Reason, int Accepted) : IQueueMessage;

    /// <summary>
    /// A producer announces itself before its first put, so that the coordinator can count it for the
    /// run's join and notice if it is lost. Resent until <see cref="ProducerRegistered"/> comes back.
    /// </summary>
    /// <param name="ProducerId">Its id, the same across restarts of its node.</param>
    /// <param name="Node">The node it runs on (<c>Cluster:NodeName</c>); empty if unknown.</param>
    /// <param name="NodeProducers">
    /// How many producers that node runs, so the run waits for all of them even if one registers
    /// later than another has finished; 0 if unknown.
    /// </param>
    public sealed record RegisterProducer(string ProducerId, string Node = "", int NodeProducers = 0) : IQueueMessage;

    /// <summary>
    /// The registration is stored. <paramref name="LastAcceptedSequenceNr"/> is the last put the queue
    /// holds from this producer id (0 if none), so a producer restarted under the same id resumes after it.
    /// </summary>
    /// <param name="ProducerId">The producer's id.</param>
    /// <param name="LastAcceptedSequenceNr">The last put the queue holds from it, wholly or in part (0 if none): the next put is numbered after it.</param>
    /// <param name="AcceptedItems">Items the queue holds from it in this run, so a restarted source skips them; -1 from a coordinator of the version before batched puts (then one item per put).</param>
    public sealed record ProducerRegistered(string ProducerId, long LastAcceptedSequenceNr, long AcceptedItems = -1) : IQueueMessage;

    /// <summary>The producer has put everything it will put; its last put had <paramref name="LastSequenceNr"/>. Resent until acknowledged.</summary>
    public sealed record ProducerDone(string ProducerId, long LastSequenceNr) : IQueueMessage;

    public sealed record ProducerDoneAck(string ProducerId) : IQueueMessage;

    /// <summary>
    /// The producer stopped on request (its node is stopping) before its source ended, after its last
    /// put, <paramref name="LastSequenceNr"/>, was answered: a stop is not a finish. The run keeps its
    /// place and waits for it to register again, without the producer timeout; only an operator's
    /// <see cref="EndRun"/> ends the run without it. Told once, not acknowledged.
    /// </summary>
    public sealed record ProducerStopped(string ProducerId, long LastSequenceNr) : IQueueMessage;

    /// <summary>
    /// A stopping producer takes back its put <paramref name="SequenceNr"/> while it waits for room: the items
    /// admitted stay accepted, the rest are not put (the producer's restart reads them again). Answered with
    /// <see cref="PutRejected"/> (<see cref="PutRejection.Withdrawn"/>, how many were admitted) once those are
    /// stored; a put that is already in whole is answered as usual, with <see cref="PutAccepted"/>.
    /// </summary>
    public sealed record WithdrawPut(string ProducerId, long SequenceNr) : IQueueMessage;

    // ---- consumers -------------------------------------------------------------------------

    /// <summary>
    /// Grants the coordinator <paramref name="Credits"/> more items to send to the sender (a credit
    /// window; 1 is asyncio's <c>await get()</c>). Credits stay parked until items arrive. Without
    /// <paramref name="Wait"/> (<c>get_nowait</c>) it takes what is there now or answers <see cref="QueueEmpty"/>.
    /// </summary>
    public sealed record Get(int Credits, bool Wait = true) : IQueueMessage;

    /// <summary>
    /// A consumer actor's flow control: it may hold up to <paramref name="Window"/> undone items in
    /// all. Unlike <see cref="Get"/> it is absolute, so it can be resent (and is, periodically) without
    /// granting more. It also carries the consumer's progress, as Akka.Delivery's requests carry the
    /// confirmed sequence number: <paramref name="Held"/> are the deliveries it holds (buffered or in
    /// hand) and <paramref name="LastSeen"/> the highest delivery id (or <see cref="DeliveredUpTo"/>
    /// mark) it has received. A delivery the coordinator counts as held by it, at or below
    /// <paramref name="LastSeen"/> and not in <paramref name="Held"/>, had its task_done, release or
    /// failure lost on the way; one above it that was sent before the last mark was lost itself. Either
    /// way its item is queued again, so a lost message costs a refresh interval or two, not the ack
    /// timeout. A window of 0 asks for nothing more (a draining consumer).
    /// </summary>
    public sealed record RequestWork(int Window, IReadOnlyList<long> Held, long LastSeen) : IQueueMessage
    {
        /// <summary>A request that reports no progress (a consumer that has received nothing yet).</summary>
        public RequestWork(int window) : this(window, [], 0) { }
    }

    /// <summary>
    /// Every delivery up to <paramref name="LastDeliveryId"/> has been sent to this consumer. Sent when a
    /// consumer's request shows it has not seen all of them; since messages between two actors keep
    /// their order, a consumer that has this mark and not a delivery below it will never get that delivery.
    /// </summary>
    public sealed record DeliveredUpTo(long LastDeliveryId) : IQueueMessage;

    /// <summary>Items for the consumer, oldest first; each costs one credit.</summary>
    public sealed record Delivery(IReadOnlyList<DeliveredItem> Items) : IQueueMessage;

    /// <summary>Withdraws the sender's unused credits (a cancelled get); answered with <see cref="GetCancelled"/>.</summary>
    public sealed class CancelGet : IQueueMessage
    {
        public static readonly CancelGet Instance = new();
        private CancelGet() { }
    }

    /// <summary>The sender's parked credits that were withdrawn; items already delivered stay its own.</summary>
    public sealed record GetCancelled(int Credits) : IQueueMessage;

    /// <summary>Answer to a non-waiting get when nothing is queued (asyncio's <c>QueueEmpty</c>).</summary>
    public sealed class QueueEmpty : IQueueMessage
    {
        public static readonly QueueEmpty Instance = new();
        private QueueEmpty() { }
    }

    /// <summary>The queue is shut down and holds nothing more for this getter (asyncio's <c>QueueShutDown</c>).</summary>
    public sealed class QueueShutDown : IQueueMessage
    {
        public static readonly QueueShutDown Instance = new();
        private QueueShutDown() { }
    }

    /// <summary>Marks delivered items done (asyncio's <c>task_done</c>), one per delivery id.</summary>
    public sealed record TaskDone(IReadOnlyList<long> DeliveryIds) : IQueueMessage
    {
        public TaskDone(long deliveryId) : this([deliveryId]) { }
    }

    /// <summary>
    /// A task_done named a delivery that was never made (asyncio raises <c>ValueError</c>); nothing was
    /// counted. A repeated task_done, or one for an item already completed through another delivery,
    /// is not an error: it is ignored and counted as a duplicate.
    /// </summary>
    public sealed record TaskDoneRejected(long DeliveryId, string Reason) : IQueueMessage;

    /// <summary>Hands delivered but unfinished items back; they go to the head of the queue in their order.</summary>
    public sealed record Release(IReadOnlyList<long> DeliveryIds) : IQueueMessage;

    /// <summary>The work handler gave up on a delivery: it is dead-lettered, kept with its error and counted finished.</summary>
    public sealed record TaskFailed(long DeliveryId, int Attempts, string Error) : IQueueMessage;

    // ---- the runner ------------------------------------------------------------------------

    /// <summary>Answered with <see cref="Joined"/> once no item is queued or in flight (asyncio's <c>join</c>).</summary>
    public sealed class Join : IQueueMessage
    {
        public static readonly Join Instance = new();
        private Join() { }
    }

    /// <summary>Every accepted item is done (completed, dead-lettered or dropped by an immediate shutdown).</summary>
    public sealed class Joined : IQueueMessage
    {
        public static readonly Joined Instance = new();
        private Joined() { }
    }

    /// <summary>
    /// Answered with <see cref="RunCompleted"/> once the batch run is over: every expected producer is
    /// done (or lost) and nothing accepted is unfinished. A joiner may resend it; each is answered once per ask.
    /// </summary>
    public sealed class JoinRun : IQueueMessage
    {
        public static readonly JoinRun Instance = new();
        private JoinRun() { }
    }

    /// <summary>The batch run is over; the coordinator's final accounting.</summary>
    public sealed record RunCompleted(QueueStatus Status) : IQueueMessage;

    /// <summary>Asks for a <see cref="QueueStatus"/>.</summary>
    public sealed class GetStatus : IQueueMessage
    {
        public static readonly GetStatus Instance = new();
        private GetStatus() { }
    }

    /// <summary>qsize, unfinished and the run's counters at one instant.</summary>
    /// <param name="Size">Items queued and not yet delivered (asyncio's <c>qsize()</c>).</param>
    /// <param name="InFlight">Items delivered and not yet done.</param>
    /// <param name="Capacity">The bound on <paramref name="Size"/>; 0 is unbounded.</param>
    /// <param name="IsShutDown">Whether a shutdown was requested.</param>
    /// <param name="Accepted">Items ever accepted.</param>
    /// <param name="Completed">Items marked done.</param>
    /// <param name="DeadLettered">Items whose handler gave up.</param>
    /// <param name="Dropped">Items an immediate shutdown discarded.</param>
    /// <param name="Redelivered">Items handed back (released, or held by a consumer that stopped) and queued again.</param>
    /// <param name="ParkedPuts">Waiting puts not yet wholly admitted.</param>
    /// <param name="WaitingGetters">Consumers holding unused credits.</param>
    /// <param name="DuplicateAcks">task_done messages for items already completed, ignored.</param>
    /// <param name="Consumers">Consumers known to the coordinator.</param>
    /// <param name="ExpectedProducers">Producers the batch run waits for.</param>
    /// <param name="ProducersRegistered">Producers that announced themselves.</param>
    /// <param name="ProducersDone">Producers that finished putting.</param>
    /// <param name="ProducersLost">Registered producers that stopped (or whose node left) before finishing.</param>
    /// <param name="Discarded">
    /// Dead letters an operator discarded in this run. At every instant
    /// <paramref name="Accepted"/> = <paramref name="Completed"/> + <paramref name="DeadLettered"/> + <paramref name="Discarded"/>
    /// + <paramref name="Dropped"/> + <see cref="Unfinished"/>: a requeued dead letter moves back to unfinished, it is not accepted again.
    /// </param>
    /// <param name="EndedByOperator">An operator ended the run for adding (<see cref="EndRun"/>); it completes once the accepted items are settled.</param>
    /// <param name="IsRunComplete">
    /// The coordinator's own answer to whether the run is complete (the rule is written once, in its state: it also
    /// waits for stopped producers and for producer nodes still in their join window), carried rather than worked
    /// out again from these counts by whoever reads them.
    /// </param>
    public sealed record QueueStatus(
        int Size,
        int InFlight,
        int Capacity,
        bool IsShutDown,
        long Accepted,
        long Completed,
        long DeadLettered,
        long Dropped,
        long Redelivered,
        int ParkedPuts,
        int WaitingGetters,
        long DuplicateAcks,
        int Consumers,
        int ExpectedProducers,
        int ProducersRegistered,
        int ProducersDone,
        int ProducersLost,
        long Discarded = 0,
        bool EndedByOperator = false,
        bool IsRunComplete = false) : IQueueMessage
    {
        /// <summary>Accepted items not yet finished (asyncio's <c>_unfinished_tasks</c>).</summary>
        public int Unfinished => Size + InFlight;

        public bool IsEmpty => Size == 0;

        public bool IsFull => Capacity > 0 && Size >= Capacity;

    }

    /// <summary>Asks for a <see cref="QueueOverview"/>, which the operator's page shows.</summary>
    public sealed class GetOverview : IQueueMessage
    {
        public static readonly GetOverview Instance = new();
        private GetOverview() { }
    }

    /// <summary>The status with what stands behind it, all from one instant.</summary>
    /// <param name="Status">What <see cref="GetStatus"/> would have answered at that instant: the page counts nothing itself.</param>
    /// <param name="Consumers">Every consumer the coordinator knows, by path.</param>
    /// <param name="Producers">Every producer of the run, by id.</param>
    /// <param name="Latency">Put→get percentiles of recent deliveries.</param>
    /// <param name="NewestDeadLetters">The newest dead letters (by item id), at most 50; the status counts them all.</param>
    public sealed record QueueOverview(
        QueueStatus Status,
        IReadOnlyList<ConsumerOverview> Consumers,
        IReadOnlyList<ProducerOverview> Producers,
        LatencySummary Latency,
        IReadOnlyList<DeadLetterOverview> NewestDeadLetters) : IQueueMessage;

    /// <summary>Asks for every dead-lettered item, answered with <see cref="DeadLetters"/>.</summary>
    public sealed class GetDeadLetters : IQueueMessage
    {
        public static readonly GetDeadLetters Instance = new();
        private GetDeadLetters() { }
    }

    public sealed record DeadLetters(IReadOnlyList<DeadLetteredItem> Items) : IQueueMessage;

    /// <summary>Puts dead-lettered items back on the queue (all of them if <paramref name="ItemIds"/> is empty); answered with <see cref="DeadLettersRequeuedAck"/>.</summary>
    public sealed record RequeueDeadLetters(IReadOnlyList<long> ItemIds) : IQueueMessage;

    public sealed record DeadLettersRequeuedAck(int Count) : IQueueMessage;

    /// <summary>
    /// Removes dead-lettered items from the run for good (all of them if <paramref name="ItemIds"/> is empty):
    /// they count as settled and are never delivered again. Answered with <see cref="DeadLettersDiscardedAck"/>
    /// once journaled; ids that are not dead letters are passed over.
    /// </summary>
    public sealed record DiscardDeadLetters(IReadOnlyList<long> ItemIds) : IQueueMessage;

    /// <summary>How many dead letters a <see cref="DiscardDeadLetters"/> removed.</summary>
    public sealed record DeadLettersDiscardedAck(int Count) : IQueueMessage;

    /// <summary>
    /// Ends the run for adding, on an operator's word: every registered producer not yet done counts as
    /// done, and what they have not had accepted is never put. The run completes once its accepted items
    /// are settled. Answered with <see cref="RunEndAck"/> once journaled.
    /// </summary>
    /// <param name="RequestedBy">Who or what asked (logged and journaled), e.g. the page and its caller's address.</param>
    public sealed record EndRun(string RequestedBy) : IQueueMessage;

    /// <summary>The run is closed for adding.</summary>
    /// <param name="ProducersEnded">Producers that were not done and now count as done.</param>
    /// <param name="Unfinished">Accepted items still to settle before the run completes.</param>
    /// <param name="AlreadyOver">The run had already finished (or been ended); nothing changed.</param>
    public sealed record RunEndAck(int ProducersEnded, int Unfinished, bool AlreadyOver) : IQueueMessage;

    /// <summary>
    /// Shuts the queue down (Python 3.13). Graceful: puts are refused, parked putters are released,
    /// getters drain what is queued and then get <see cref="QueueShutDown"/>. Immediate: queued items
    /// are dropped as well; delivered items still need their task_done.
    /// </summary>
    public sealed record Shutdown(bool Immediate) : IQueueMessage;

    /// <summary>The shutdown took effect; <paramref name="Dropped"/> items were discarded by it.</summary>
    public sealed record ShutdownAck(int Dropped) : IQueueMessage;
}
