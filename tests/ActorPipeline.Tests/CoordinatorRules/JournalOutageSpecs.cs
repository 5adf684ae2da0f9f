using ActorPipeline.Coordinator;
using Microsoft.Extensions.Time.Testing;

namespace ActorPipeline.Tests.CoordinatorRules;

/// <summary>The journal outage's rules on a fake clock: the back-off, the limit, the end of an outage.</summary>
public sealed class JournalOutageSpecs
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero));

    private JournalOutage Outage(TimeSpan limit) => new(
        new QueueOptions { JournalRetryBackoff = TimeSpan.FromMilliseconds(500), MaxJournalRetryBackoff = TimeSpan.FromSeconds(3), JournalOutageLimit = limit },
        _time);

    [Fact]
    public void Should_double_the_wait_with_each_failure_in_a_row_up_to_its_cap()
    {
        var outage = Outage(TimeSpan.FromMinutes(5));

        var waits = Enumerable.Range(0, 5).Select(_ => outage.Failed("down").TotalMilliseconds).ToList();

        Assert.Equal([500, 1000, 2000, 3000, 3000], waits);
        Assert.Equal(5, outage.Failures);
    }

    [Fact]
    public void Should_date_the_outage_from_its_first_failure_and_pass_the_limit_only_after_it()
    {
        var outage = Outage(TimeSpan.FromSeconds(30));
        var began = _time.GetUtcNow();
        outage.Failed("down");
        _time.Advance(TimeSpan.FromSeconds(20));
        outage.Failed("still down");

        Assert.Equal(began, outage.Since);
        Assert.False(outage.LimitPassed);
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(outage.LimitPassed);
        Assert.Equal("still down", outage.LastReason);
    }

    [Fact]
    public void Should_end_the_outage_on_a_stored_write_and_start_the_back_off_afresh()
    {
        var outage = Outage(TimeSpan.FromSeconds(30));
        outage.Failed("down");
        outage.Failed("down");
        _time.Advance(TimeSpan.FromSeconds(7));

        var lasted = outage.Healthy();

        Assert.Equal(TimeSpan.FromSeconds(7), lasted);
        Assert.False(outage.IsOngoing);
        Assert.Equal(TimeSpan.FromMilliseconds(500), outage.Failed("down again"));
    }

    [Fact]
    public void Should_never_pass_a_limit_of_zero()
    {
        var outage = Outage(TimeSpan.Zero);
        outage.Failed("down");
        _time.Advance(TimeSpan.FromDays(3));

        Assert.False(outage.LimitPassed);
    }
}
