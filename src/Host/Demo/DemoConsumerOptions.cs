using System.ComponentModel.DataAnnotations;

namespace ActorPipeline.Host.Demo;

/// <summary>The seed's consumers: a random sleep per item, and poison items on request. Bound from <c>Demo:Consumers</c>.</summary>
internal sealed class DemoConsumerOptions : IValidatableObject
{
    /// <summary>Shortest simulated work per item.</summary>
    /// <value>Default 0 s.</value>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MinDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Longest simulated work per item.</summary>
    /// <value>Default 10 s.</value>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Share of items whose work always fails (by the item's first byte, so the same items on every attempt and
    /// every node): they show retries and dead letters. 0 for the seed.
    /// </summary>
    /// <value>Default 0.</value>
    [Range(0.0, 1.0)]
    public double PoisonRate { get; set; }

    /// <summary>Whether a poison item fails permanently (dead-lettered at once) rather than with retries.</summary>
    /// <value>Default false.</value>
    public bool PoisonPermanent { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxDelay < MinDelay)
        {
            yield return new ValidationResult($"MaxDelay ({MaxDelay}) must not be less than MinDelay ({MinDelay}).", [nameof(MaxDelay)]);
        }
    }
}
