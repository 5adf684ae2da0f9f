using System.ComponentModel.DataAnnotations;
using ActorPipeline.Consumers;
using ActorPipeline.Coordinator;
using ActorPipeline.Producers;

namespace ActorPipeline.Hosting.Configuration;

/// <summary>
/// The whole <c>Pipeline</c> section. It is bound as one tree so that a misspelt key anywhere in it
/// is reported instead of silently ignored; each role receives its own part.
/// </summary>
internal sealed class PipelineOptions : IValidatableObject
{
    public const string SectionName = "Pipeline";

    public ProducerOptions Producers { get; set; } = new();

    public ConsumerOptions Consumers { get; set; } = new();

    public QueueOptions Queue { get; set; } = new();

    public DrainOptions Drain { get; set; } = new();

    public PersistenceOptions Persistence { get; set; } = new();

    /// <summary>Run (the default: one batch made of the nodes' producers, joined, then every node exits) or Service (nodes stay up; jobs come and go).</summary>
    public PipelineMode Mode { get; set; } = PipelineMode.Run;

    /// <summary>Jobs' settings; handed to the coordinator with the queue's (<see cref="QueueOptions.Jobs"/>).</summary>
    public JobOptions Jobs
    {
        get => Queue.Jobs;
        set => Queue.Jobs = value;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // The remoting frame is sized for a delivery of MaxDeliveryBatch items at the item limit; a larger put would not fit it.
        var frame = Queue.FullBatchBytes;
        if (Producers.MaxPutBytes > frame)
        {
            yield return new ValidationResult(
                $"must not be more than Pipeline:Queue:MaxDeliveryBatch × (Pipeline:Queue:MaxItemBytes + {ProducerOptions.PerItemPutBytes}) ({frame}), which sizes the remoting frame; it is {Producers.MaxPutBytes}.",
                [$"{nameof(Producers)}:{nameof(ProducerOptions.MaxPutBytes)}"]);
        }
    }

    /// <summary>The put budget the frame is sized for, unless one is set.</summary>
    public void SizePutsToFrame() =>
        Producers.MaxPutBytes ??= Queue.FullBatchBytes;

    /// <summary>Consumers renew their leases well inside the coordinator's ack timeout, unless a period is set.</summary>
    public void SizeLeasesToAckTimeout() => Consumers.LeaseInterval = Consumers.LeaseIntervalFor(Queue.AckTimeout);
}
