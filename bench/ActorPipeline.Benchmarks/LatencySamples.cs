namespace ActorPipeline.Benchmarks;

/// <summary>
/// Put→get latencies, one slot per item, written by many consumers at once without locks (each takes
/// the next slot with one interlocked increment), so recording costs the measured path next to nothing.
/// </summary>
public sealed class LatencySamples(long capacity)
{
    private readonly float[] _milliseconds = new float[capacity];
    private long _count;

    /// <summary>Latencies recorded so far (items got).</summary>
    public long Count => Interlocked.Read(ref _count);

    public void Record(TimeSpan latency)
    {
        var slot = Interlocked.Increment(ref _count) - 1;
        if (slot < _milliseconds.Length)
        {
            _milliseconds[slot] = (float)latency.TotalMilliseconds;
        }
    }

    public (double P50, double P99) Percentiles()
    {
        var count = (int)Math.Min(Interlocked.Read(ref _count), _milliseconds.Length);
        if (count == 0)
        {
            return (double.NaN, double.NaN);
        }

        var sorted = _milliseconds[..count];
        Array.Sort(sorted);
        return (sorted[(int)(count * 0.50)], sorted[Math.Min(count - 1, (int)(count * 0.99))]);
    }
}
