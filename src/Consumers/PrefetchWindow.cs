namespace ActorPipeline.Consumers;

/// <summary>
/// How many items a consumer holds: enough queued behind the one in hand to cover about
/// <see cref="ConsumerOptions.PrefetchWork"/> of work at its recent pace, between 1 and
/// <see cref="ConsumerOptions.Prefetch"/>. Quick work gets a deep window, so items and their
/// acknowledgements travel in batches; slow work (the seed's seconds of sleep) holds one item, so
/// nothing waits behind a busy consumer while another is free. Pure state: the actor feeds it each
/// item's time and tells the coordinator when the window moved.
/// </summary>
internal sealed class PrefetchWindow
{
    // Weight of the newest item in the running average: a few items to follow a change, not one odd item.
    private const int Smoothing = 8;

    private readonly int _max;
    private readonly long _workTicks;
    private long _averageTicks = -1;

    /// <param name="max">The most items held: <see cref="ConsumerOptions.Prefetch"/>.</param>
    /// <param name="work">Work to hold beyond the item in hand; zero or less keeps the window at <paramref name="max"/>.</param>
    public PrefetchWindow(int max, TimeSpan work)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        _max = max;
        _workTicks = work.Ticks;

        // Until an item has been timed, hold one: nothing is known of the work yet.
        Current = _workTicks > 0 ? 1 : max;
    }

    /// <summary>The window the coordinator was last told.</summary>
    public int Current { get; private set; }

    /// <summary>The recent time per item, once one has been timed.</summary>
    public TimeSpan? AverageWork => _averageTicks < 0 ? null : TimeSpan.FromTicks(_averageTicks);

    /// <summary>Finished items to acknowledge together: half a window frees room before the window runs dry.</summary>
    public int AckThreshold(int ackBatch) => Math.Clamp(Current / 2, 1, ackBatch);

    /// <summary>Takes one item's time; true when the window moved enough to be worth a message (twice or half, or a bound).</summary>
    public bool Record(TimeSpan took)
    {
        if (_workTicks <= 0)
        {
            return false;
        }

        var ticks = Math.Max(0, took.Ticks);
        _averageTicks = _averageTicks < 0 ? ticks : _averageTicks + ((ticks - _averageTicks) / Smoothing);
        var wanted = (int)Math.Clamp(_workTicks / Math.Max(1, _averageTicks), 1, _max);
        if (wanted == Current || (wanted < 2 * Current && 2 * wanted > Current && wanted != _max && wanted != 1))
        {
            return false;
        }

        Current = wanted;
        return true;
    }
}
