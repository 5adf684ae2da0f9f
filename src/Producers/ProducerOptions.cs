using System.ComponentModel.DataAnnotations;

namespace ActorPipeline.Producers;

/// <summary>The producers of this node and the seed's random item source. Bound from <c>Pipeline:Producers</c>.</summary>
public sealed class ProducerOptions : IValidatableObject
{
    public const string SectionName = "Pipeline:Producers";

    /// <summary>Producer actors started on this node (the seed's <c>-p/--nprod</c>).</summary>
    /// <value>Default 5.</value>
    [Range(0, 100_000)]
    public int Count { get; set; } = 5;

    /// <summary>Fewest items one producer puts.</summary>
    /// <value>Default 0.</value>
    [Range(0, int.MaxValue)]
    public int MinItems { get; set; }

    /// <summary>Most items one producer puts (each draws its count uniformly between the two).</summary>
    /// <value>Default 10.</value>
    [Range(0, int.MaxValue)]
    public int MaxItems { get; set; } = 10;

    /// <summary>Shortest sleep before each item.</summary>
    /// <value>Default 0 s.</value>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MinDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Longest sleep before each item.</summary>
    /// <value>Default 10 s.</value>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Random bytes per item (the seed's <c>os.urandom(5)</c>).</summary>
    /// <value>Default 5.</value>
    [Range(1, 1024 * 1024)]
    public int ItemBytes { get; set; } = 5;

    /// <summary>
    /// Most items in one put. A producer reads ahead up to this many while its last put is in flight and
    /// puts them together: a fast source fills whole batches, a slow one (the seed's sleeps) puts one item at a time.
    /// </summary>
    /// <value>Default 100; at most <c>Pipeline:Queue:MaxDeliveryBatch</c>, which sizes the remoting frame.</value>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 100;

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
        if (MaxItems < MinItems)
        {
            yield return new ValidationResult($"MaxItems ({MaxItems}) must not be less than MinItems ({MinItems}).", [nameof(MaxItems)]);
        }

        if (MaxDelay < MinDelay)
        {
            yield return new ValidationResult($"MaxDelay ({MaxDelay}) must not be less than MinDelay ({MinDelay}).", [nameof(MaxDelay)]);
        }

        if (MaxResendBackoff < ResendAfter)
        {
            yield return new ValidationResult($"MaxResendBackoff ({MaxResendBackoff}) must not be less than ResendAfter ({ResendAfter}).", [nameof(MaxResendBackoff)]);
        }
    }
}
