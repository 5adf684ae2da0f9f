namespace ActorPipeline.Coordinator.Observability;

/// <summary>
/// Put→get latency as the queue sees it: from the producer's put (<see cref="QueueItem.PutAt"/>) to the first
/// delivery that hands the item to a consumer, over recent deliveries. Seconds; all zero when <paramref name="Count"/> is 0.
/// </summary>
/// <param name="Count">Deliveries the percentiles are taken over.</param>
/// <param name="Window">How far back they reach.</param>
/// <param name="P50">The median.</param>
/// <param name="P90">Nine in ten deliveries were this quick or quicker.</param>
/// <param name="P99">Ninety-nine in a hundred were this quick or quicker.</param>
/// <param name="Max">The slowest.</param>
internal sealed record LatencySummary(int Count, TimeSpan Window, double P50, double P90, double P99, double Max)
{
    public static LatencySummary None(TimeSpan window) => new(0, window, 0, 0, 0, 0);
}
