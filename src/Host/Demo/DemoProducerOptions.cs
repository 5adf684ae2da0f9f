using System.ComponentModel.DataAnnotations;

namespace ActorPipeline.Host.Demo;

/// <summary>The seed's producers: a random count of random items after random sleeps. Bound from <c>Demo:Producers</c>.</summary>
internal sealed class DemoProducerOptions : IValidatableObject
{
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
    }
}
