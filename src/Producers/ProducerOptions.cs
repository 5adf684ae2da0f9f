using System.ComponentModel.DataAnnotations;

namespace ActorPipeline.Producers;

/// <summary>The producers of this node. Bound from <c>Pipeline:Producers</c>.</summary>
internal sealed class ProducerOptions : IValidatableObject
{
    public const string SectionName = "Pipeline:Producers";

    /// <summary>Producer actors started on this node (the seed's <c>-p/--nprod</c>).</summary>
    /// <value>Default 5.</value>
    [Range(0, 100_000)]
    public int Count { get; set; } = 5;

    /// <summary>
    /// Most items in one put. A producer reads ahead up to this many while its last put is in flight and
    /// puts them together: a fast source fills whole batches, a slow one (the seed's sleeps) puts one item at a time.
    /// With one put in flight per producer, this is what a put's round trip (a journal write) carries.
    /// </summary>
    /// <value>Default 1000.</value>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 1000;

    /// <summary>
    /// Most bytes in one put, counting each item's payload and 64 bytes for its framing: a batch of large
    /// items is cut shorter, so that every put fits the remoting frame.
    /// </summary>
    /// <value>
    /// Unset, the Host makes it what the frame is sized for, <c>Pipeline:Queue:MaxDeliveryBatch</c> items at
    /// <c>Pipeline:Queue:MaxItemBytes</c> (6.25 MiB by default); a producer outside the Host cuts by count alone.
    /// </value>
    [Range(1L, long.MaxValue)]
    public long? MaxPutBytes { get; set; }

    /// <summary>What <see cref="MaxPutBytes"/> counts for one item beyond its payload.</summary>
    public const int PerItemPutBytes = QueueOptions.PerItemOverheadBytes;

    /// <summary>A put, registration or completion not acknowledged within this time is sent again; the wait doubles each time.</summary>
    /// <value>Default 1 s.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan ResendAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between two resends.</summary>
    /// <value>Default 10 s.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan MaxResendBackoff { get; set; } = TimeSpan.FromSeconds(10);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxResendBackoff < ResendAfter)
        {
            yield return new ValidationResult($"MaxResendBackoff ({MaxResendBackoff}) must not be less than ResendAfter ({ResendAfter}).", [nameof(MaxResendBackoff)]);
        }
    }
}
