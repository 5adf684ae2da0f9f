namespace ActorPipeline.Benchmarks;

/// <summary>The shape of a load run, the same for every contender so that the figures compare.</summary>
/// <param name="Items">Items in all, split evenly over the producers.</param>
/// <param name="Producers">Producers putting at once (the 5).</param>
/// <param name="Consumers">Consumers getting at once (the 10).</param>
/// <param name="Capacity">The queue's bound (asyncio's maxsize, the channel's capacity, the coordinator's Capacity).</param>
/// <param name="Batch">
/// Items per put (the shipped producers' <c>BatchSize</c>, 1000 by default as in the service) and, up to the service's
/// <c>MaxDeliveryBatch</c> of 100, most items per delivery; the brokers' publish batch. The asyncio and channel peers put one at a time.
/// </param>
/// <param name="Window">Most items a consumer may hold undone: the shipped consumers' <c>Prefetch</c> (256 by default, as in the service) and the brokers' prefetch.</param>
/// <param name="Rate">Items per second the producers offer in all (paced a batch at a time); 0 is as fast as they are accepted.</param>
/// <param name="Nodes">Consumer processes in the cross-process run, sharing the consumers between them.</param>
/// <param name="LatencyEvery">
/// The put→get latency of every this many items is kept for the percentiles: 1 keeps all (4 bytes per item, part of
/// the peak memory reported), 0 none (p50 and p99 are NaN), so that the memory figure is the contender's alone.
/// </param>
public sealed record LoadSettings(
    long Items = 1_000_000, int Producers = 5, int Consumers = 10, int Capacity = 10_000, int Batch = 1_000, int Window = 256, long Rate = 0, int Nodes = 1,
    int LatencyEvery = 1)
{
    /// <summary>
    /// The warm-up round run before the measured one: as many items, at most a million. Tiered compilation
    /// takes about a second of steady work to settle the actor path (Akka's mailbox and dispatcher code
    /// included); measured cold, a one-million-item run shows the JIT more than the queue.
    /// </summary>
    public LoadSettings Warmup() => this with { Items = Math.Min(Items, 1_000_000) };

    public long ShareOf(int producer) => (Items / Producers) + (producer < Items % Producers ? 1 : 0);

    public static LoadSettings Parse(IReadOnlyList<string> args)
    {
        var settings = new LoadSettings();
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            var value = long.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture);
            settings = args[i] switch
            {
                "--items" => settings with { Items = value },
                "--producers" => settings with { Producers = (int)value },
                "--consumers" => settings with { Consumers = (int)value },
                "--capacity" => settings with { Capacity = (int)value },
                "--batch" => settings with { Batch = (int)value },
                "--window" => settings with { Window = (int)value },
                "--rate" => settings with { Rate = value },
                "--nodes" => settings with { Nodes = (int)value },
                "--latency-every" => settings with { LatencyEvery = (int)value },
                _ => throw new ArgumentException($"'{args[i]}' is not a load setting; use --items, --producers, --consumers, --capacity, --batch, --window, --rate, --nodes, --latency-every."),
            };
        }

        return settings;
    }

    public string[] ToArgs() =>
    [
        "--items", $"{Items}", "--producers", $"{Producers}", "--consumers", $"{Consumers}",
        "--capacity", $"{Capacity}", "--batch", $"{Batch}", "--window", $"{Window}", "--rate", $"{Rate}", "--nodes", $"{Nodes}",
        "--latency-every", $"{LatencyEvery}",
    ];
}
