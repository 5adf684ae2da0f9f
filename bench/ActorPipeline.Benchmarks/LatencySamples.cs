namespace ActorPipeline.Benchmarks;

/// <summary>
/// Put→get latencies of every <see cref="LoadSettings.LatencyEvery"/>th item got, written by many consumers at
/// once without locks (each takes the next slot with one interlocked increment), so recording costs the
/// measured path next to nothing. One float per sample: at the default (every item) 4 bytes per item,
/// which shows in a long run's peak memory; <c>--latency-every 0</c> keeps none.
/// </summary>
public sealed class LatencySamples(LoadSettings settings)
{
    private readonly long _every = Math.Max(settings.LatencyEvery, 1);
    private readonly float[] _milliseconds = new float[settings.LatencyEvery <= 0 ? 0 : (settings.Items + settings.LatencyEvery - 1) / settings.LatencyEvery];
    private long _count;

    /// <summary>Latencies recorded so far (items got), kept or not.</summary>
    public long Count => Interlocked.Read(ref _count);

    public void Record(TimeSpan latency)
    {
        var got = Interlocked.Increment(ref _count) - 1;
        if (got % _every == 0 && got / _every < _milliseconds.Length)
        {
            _milliseconds[got / _every] = (float)latency.TotalMilliseconds;
        }
    }

    /// <summary>The median and 99th percentile of the latencies kept; NaN when none were.</summary>
    public (double P50, double P99) Percentiles()
    {
        var count = (int)Math.Min((Interlocked.Read(ref _count) + _every - 1) / _every, _milliseconds.Length);
        if (count == 0)
        {
            return (double.NaN, double.NaN);
        }

        var sorted = _milliseconds[..count];
        Array.Sort(sorted);
        return (sorted[(int)(count * 0.50)], sorted[Math.Min(count - 1, (int)(count * 0.99))]);
    }
}
