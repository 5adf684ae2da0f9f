using System.ComponentModel.DataAnnotations;

namespace ActorPipeline.Coordinator.Hosting;

/// <summary>The coordinator's queue. Bound from <c>Pipeline:Queue</c>.</summary>
internal sealed class QueueOptions : IValidatableObject
{
    public const string SectionName = "Pipeline:Queue";

    /// <summary>
    /// Most items queued (not yet delivered) at once: a put that does not fit waits, and its producer with it.
    /// 0 is unbounded, like asyncio's maxsize. Bounded by default because producers faster than consumers
    /// otherwise fill the coordinator's memory with the whole backlog (4.2M items of a 5M-item run), and a
    /// backlog longer than a few delivery rounds makes nothing faster.
    /// </summary>
    /// <value>Default 10,000.</value>
    [Range(0, int.MaxValue)]
    public int Capacity { get; set; } = DefaultCapacity;

    /// <summary>The default <see cref="Capacity"/>: at the default 100 items a delivery, a hundred deliveries' worth.</summary>
    public const int DefaultCapacity = 10_000;

    /// <summary>Most items sent to one consumer in one message, however many credits it holds.</summary>
    /// <value>Default 100.</value>
    [Range(1, 100_000)]
    public int MaxDeliveryBatch { get; set; } = 100;

    /// <summary>
    /// Largest item payload a put may carry; a put holding a larger one is refused whole with
    /// <see cref="PutRejection.TooLarge"/>. It also sizes the remoting frame (see the Host), so a
    /// delivery of <see cref="MaxDeliveryBatch"/> items of this size always fits one message.
    /// </summary>
    /// <value>Default 64 KiB.</value>
    [Range(1, QueueMessageSerializer.MaxPayloadBytes)]
    public int MaxItemBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// A delivery not done (nor handed back) within this time is queued again for another consumer:
    /// it covers deliveries and acknowledgements lost on the way. Set it above the longest work an item takes.
    /// </summary>
    /// <value>Default 5 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:00.050", "7.00:00:00")]
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the coordinator logs a progress event (done/accepted, rate, outstanding, oldest item, ETA); 0 turns it off. Silent when nothing changed.</summary>
    /// <value>Default 5 s.</value>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a registered producer that is not done may be away before it counts as lost: after a
    /// restart of the coordinator (it must be heard from again), or after its actor stopped or its node
    /// left or died (it must register again, from a restarted node). Until then the run waits for it.
    /// </summary>
    /// <value>Default 30 s.</value>
    [Range(typeof(TimeSpan), "00:00:00.050", "1.00:00:00")]
    public TimeSpan ProducerTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Journal nothing, as asyncio.Queue and <c>Channel&lt;T&gt;</c> keep nothing: puts are acknowledged at once
    /// and a restarted coordinator starts empty, so a crash loses every outstanding item. For in-process
    /// pipelines whose items can be made again; the fastest setting (see docs/benchmarks.md).
    /// </summary>
    /// <value>Default false: every change is journaled before it is acknowledged.</value>
    public bool Ephemeral { get; set; }

    /// <summary>Journaled events between two snapshots of the coordinator's state (recovery replays at most this many).</summary>
    /// <value>Default 10000.</value>
    [Range(1, 100_000_000)]
    public int SnapshotEvery { get; set; } = 10_000;

    /// <summary>
    /// The least number of producers the batch run waits for. Never needed for scaling: the run waits
    /// for every producer of every producer node that has joined the cluster (each node says how many
    /// it runs), so this is only a floor, for a run that must not end before enough nodes are in.
    /// </summary>
    /// <value>Default 1: a run with no producer never ends.</value>
    [Range(1, 1_000_000)]
    public int ExpectedProducers { get; set; } = 1;

    /// <summary>
    /// Jobs' settings, which live in their own section (<c>Pipeline:Jobs</c>): the node hands them to its coordinator
    /// through here. Not public, so configuration never binds it under <c>Pipeline:Queue</c>.
    /// </summary>
    internal JobOptions Jobs { get; set; } = new();

    /// <summary>
    /// How long after the first producer registers the run still waits for producer nodes that have
    /// not joined the cluster yet (ones that have joined are always waited for). For set-ups whose
    /// nodes start together but join at different speeds, such as <c>docker compose up</c>.
    /// </summary>
    /// <value>
    /// Unset, <see cref="JoinWindowWithSeeds"/> (10 s) on a node that joins seed nodes (a cluster of several)
    /// and 0 on the embedded single node, whose producers are its own (<see cref="DefaultJoinWindow"/>).
    /// </value>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan? ProducerJoinWindow { get; set; }

    /// <summary>
    /// The join window of a node that joins seed nodes, unless one is set: nodes started together
    /// (<c>docker compose up</c>) join within seconds of each other; one starting later than this is a later run's.
    /// </summary>
    public static readonly TimeSpan JoinWindowWithSeeds = TimeSpan.FromSeconds(10);

    /// <summary>Gives <see cref="ProducerJoinWindow"/> its default, unless it is set: it depends on whether the node joins seed nodes.</summary>
    public void DefaultJoinWindow(bool joinsSeeds) => ProducerJoinWindow ??= joinsSeeds ? JoinWindowWithSeeds : TimeSpan.Zero;

    /// <summary>
    /// The largest protocol message this configuration can produce: a full delivery of items at the
    /// size limit, with room for ids and put times. Remoting's frame is set to it.
    /// </summary>
    public long LargestMessageBytes => FullBatchBytes + MessageOverheadBytes;

    /// <summary>
    /// <see cref="MaxDeliveryBatch"/> items at <see cref="MaxItemBytes"/>, each with its framing: what one delivery,
    /// and so one put, may carry. The producers' put budget is sized to it.
    /// </summary>
    public long FullBatchBytes => (long)MaxDeliveryBatch * (MaxItemBytes + PerItemOverheadBytes);

    /// <summary>
    /// What an item adds to its payload on the wire, in a put or a delivery: its ids, put time and length prefix.
    /// </summary>
    public const int PerItemOverheadBytes = 64;

    // A message adds its manifest, ids and the remoting envelope (sender and recipient paths).
    private const int MessageOverheadBytes = 256 * 1024;

    /// <summary>
    /// How long the coordinator keeps trying while its journal fails (writes or recovery): it restarts
    /// with back-off and recovers from what was stored each time; past this, the node exits 1 saying so.
    /// Nothing acknowledged is lost either way. 0 retries for ever.
    /// </summary>
    /// <value>Default 5 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan JournalOutageLimit { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The first wait before the coordinator restarts after its journal failed; it doubles with each failure in a row.</summary>
    /// <value>Default 500 ms.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan JournalRetryBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait between the coordinator's restarts while its journal fails.</summary>
    /// <value>Default 10 s.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan MaxJournalRetryBackoff { get; set; } = TimeSpan.FromSeconds(10);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxJournalRetryBackoff < JournalRetryBackoff)
        {
            yield return new ValidationResult(
                $"{nameof(MaxJournalRetryBackoff)} ({MaxJournalRetryBackoff}) must not be less than {nameof(JournalRetryBackoff)} ({JournalRetryBackoff}).",
                [nameof(MaxJournalRetryBackoff)]);
        }

        if (LargestMessageBytes > QueueMessageSerializer.MaxMessageBytes)
        {
            yield return new ValidationResult(
                $"{nameof(MaxItemBytes)} ({MaxItemBytes}) × {nameof(MaxDeliveryBatch)} ({MaxDeliveryBatch}) makes a delivery of up to {LargestMessageBytes} bytes, " +
                $"over the {QueueMessageSerializer.MaxMessageBytes}-byte message limit; lower one of them.",
                [nameof(MaxItemBytes)]);
        }
    }
}
