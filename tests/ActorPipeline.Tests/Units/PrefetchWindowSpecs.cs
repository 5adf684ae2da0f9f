using ActorPipeline.Consumers;
using CsCheck;

namespace ActorPipeline.Tests.Units;

/// <summary>The window's rules, without an actor: its bounds, how it follows the work, and when it is worth telling.</summary>
public sealed class PrefetchWindowSpecs
{
    private static readonly TimeSpan Budget = TimeSpan.FromMilliseconds(10);

    [Fact]
    public void Should_hold_one_item_until_it_has_timed_one_and_its_whole_window_when_there_is_no_budget()
    {
        Assert.Equal(1, new PrefetchWindow(64, Budget).Current);
        Assert.Null(new PrefetchWindow(64, Budget).AverageWork);
        Assert.Equal(64, new PrefetchWindow(64, TimeSpan.Zero).Current);
        Assert.False(new PrefetchWindow(64, TimeSpan.Zero).Record(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void Should_open_to_its_whole_window_after_one_quick_item_and_then_stay()
    {
        var window = new PrefetchWindow(64, Budget);

        Assert.True(window.Record(TimeSpan.FromTicks(20))); // 2 µs
        Assert.Equal(64, window.Current);
        Assert.False(window.Record(TimeSpan.FromTicks(30)));
        Assert.Equal(64, window.Current);
    }

    [Fact]
    public void Should_stay_at_one_for_the_seeds_seconds_of_work()
    {
        var window = new PrefetchWindow(64, Budget);

        foreach (var seconds in new[] { 3.2, 0.4, 9.9, 7.0, 5.5 })
        {
            Assert.False(window.Record(TimeSpan.FromSeconds(seconds)));
        }

        Assert.Equal(1, window.Current);
    }

    [Fact]
    public void Should_narrow_when_the_work_slows_and_hold_still_through_jitter()
    {
        var window = new PrefetchWindow(64, Budget);
        window.Record(TimeSpan.FromTicks(10));

        // From microseconds to 2 ms an item: 10 ms of work is 5 items, reached within a few items.
        var resized = 0;
        for (var i = 0; i < 60; i++)
        {
            resized += window.Record(TimeSpan.FromMilliseconds(2)) ? 1 : 0;
        }

        Assert.Equal(5, window.Current);
        Assert.InRange(resized, 1, 4);

        // 1.8 to 2.2 ms an item wants 4 to 5: less than half or twice, so nothing is sent.
        for (var i = 0; i < 100; i++)
        {
            Assert.False(window.Record(TimeSpan.FromMilliseconds(i % 2 == 0 ? 1.8 : 2.2)));
        }
    }

    [Fact]
    public void Should_acknowledge_at_half_a_window_within_the_ack_batch()
    {
        var deep = new PrefetchWindow(64, TimeSpan.Zero);
        Assert.Equal(32, deep.AckThreshold(64));
        Assert.Equal(8, deep.AckThreshold(8));
        Assert.Equal(1, new PrefetchWindow(64, Budget).AckThreshold(64)); // a window of one: each item at once
    }

    [Fact]
    public void Should_stay_within_its_bounds_and_say_exactly_when_it_moved_for_any_work() =>
        Gen.Select(Gen.Int[1, 200], Gen.Long[0, TimeSpan.TicksPerSecond].Array[1, 50])
            .Sample((max, ticks) =>
            {
                var window = new PrefetchWindow(max, Budget);
                foreach (var t in ticks)
                {
                    var before = window.Current;
                    var moved = window.Record(TimeSpan.FromTicks(t));
                    Assert.InRange(window.Current, 1, max);
                    Assert.Equal(moved, before != window.Current);
                }
            });
}
