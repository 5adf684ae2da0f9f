namespace ActorPipeline.Host.Demo;

/// <summary>The seed's simulated work: random items, random sleeps. Bound from <c>Demo</c>; only the Host's demo reads it.</summary>
internal sealed class DemoOptions
{
    public const string SectionName = "Demo";

    /// <summary>Seed of the random item counts, items and delays (the seed's <c>random.seed(444)</c>).</summary>
    public int Seed { get; set; } = 444;

    /// <summary>What each producer puts.</summary>
    public DemoProducerOptions Producers { get; set; } = new();

    /// <summary>How long each item's work takes, and which items fail.</summary>
    public DemoConsumerOptions Consumers { get; set; } = new();
}
