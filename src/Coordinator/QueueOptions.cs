using System.ComponentModel.DataAnnotations;

namespace ActorPipeline.Coordinator;

/// <summary>The coordinator's queue. Bound from <c>Pipeline:Queue</c>.</summary>
public sealed class QueueOptions
{
    public const string SectionName = "Pipeline:Queue";

    /// <summary>Most items queued (not yet delivered) at once; 0 is unbounded, like asyncio's maxsize.</summary>
    /// <value>Default 0.</value>
    [Range(0, int.MaxValue)]
    public int Capacity { get; set; }

    /// <summary>Most items sent to one consumer in one message, however many credits it holds.</summary>
    /// <value>Default 100.</value>
    [Range(1, 100_000)]
    public int MaxDeliveryBatch { get; set; } = 100;

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

    /// <summary>After a restart, how long a producer known from the journal may stay silent before it counts as lost.</summary>
    /// <value>Default 30 s.</value>
    [Range(typeof(TimeSpan), "00:00:00.050", "1.00:00:00")]
    public TimeSpan ProducerTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Journaled events between two snapshots of the coordinator's state (recovery replays at most this many).</summary>
    /// <value>Default 10000.</value>
    [Range(1, 100_000_000)]
    public int SnapshotEvery { get; set; } = 10_000;

    /// <summary>
    /// Producers the batch run waits for, across the cluster. Unset, it is this node's
    /// <c>Pipeline:Producers:Count</c> (right for a single node); set it on coordinator nodes to the total.
    /// </summary>
    [Range(0, 1_000_000)]
    public int? ExpectedProducers { get; set; }
}
