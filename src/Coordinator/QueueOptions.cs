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
}
