namespace ActorPipeline.Coordinator.State;

/// <summary>
/// The put→get latencies of the last <see cref="Capacity"/> deliveries, each with when it was made, so
/// that percentiles can be taken over the ones inside a time window. A fixed ring: recording costs two
/// stores on the delivery path, and only a query sorts (a copy of at most <see cref="Capacity"/> values).
/// </summary>
internal sealed class LatencyWindow(TimeProvider time, TimeSpan window)
{
    public const int Capacity = 4096;

    private readonly double[] _seconds = new double[Capacity];
    private readonly long[] _at = new long[Capacity];
    private readonly long _windowTicks = (long)(window.TotalSeconds * time.TimestampFrequency);
    private long _recorded;

    /// <param name="latency">From the put to this delivery; a negative one (the producer's clock ahead of this node's) counts as zero.</param>
    /// <param name="now">This delivery's <see cref="TimeProvider.GetTimestamp"/>.</param>
    public void Record(TimeSpan latency, long now)
    {
        var slot = (int)(_recorded++ % Capacity);
        _seconds[slot] = Math.Max(0, latency.TotalSeconds);
        _at[slot] = now;
    }

    public LatencySummary Summary()
    {
        var now = time.GetTimestamp();
        var held = (int)Math.Min(_recorded, Capacity);
        var recent = new List<double>(held);
        for (var i = 0; i < held; i++)
        {
            if (now - _at[i] <= _windowTicks)
            {
                recent.Add(_seconds[i]);
            }
        }

        if (recent.Count == 0)
        {
            return LatencySummary.None(window);
        }

        recent.Sort();
        return new LatencySummary(recent.Count, window, Rank(recent, 0.50), Rank(recent, 0.90), Rank(recent, 0.99), recent[^1]);
    }

    /// <summary>Nearest rank: the smallest value with at least <paramref name="quantile"/> of them at or below it.</summary>
    private static double Rank(List<double> sorted, double quantile) =>
        sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Count) - 1, 0, sorted.Count - 1)];
}
