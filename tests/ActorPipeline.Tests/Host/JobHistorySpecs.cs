using Microsoft.Extensions.Time.Testing;
using static ActorPipeline.Coordinator.Protocol.JobProtocol;

namespace ActorPipeline.Tests.Host;

/// <summary>
/// The page's memory of the jobs on a fake clock: each job's progress, rates over the window and ETA; settled
/// jobs' reports; a bounded window per job that goes with the job; and a bounded list however many jobs there are.
/// </summary>
public sealed class JobHistorySpecs
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));

    private DateTime Now => _time.GetUtcNow().UtcDateTime;

    [Fact]
    public void Should_rate_each_job_over_the_last_five_seconds_and_give_an_eta_once_it_is_closed()
    {
        var history = new JobHistory(_time);
        var openedAt = Now;
        for (var second = 0; second <= 10; second++)
        {
            // "a" takes 40 items a second and settles 20 (one of them dead-lettered every second); "b" settles 5 a
            // second of its 100 and is closed at 10 s.
            history.Add(
            [
                Job("a", JobPhase.Open, accepted: 40 * second, completed: 19 * second, deadLettered: second, discarded: 0, inFlight: 20 * second, openedAt: openedAt),
                Job("b", second == 10 ? JobPhase.Closed : JobPhase.Open, accepted: 100, completed: 5 * second, deadLettered: 0, discarded: 0, inFlight: 100 - (5 * second), openedAt: openedAt.AddSeconds(-1)),
            ]);
            if (second < 10)
            {
                _time.Advance(TimeSpan.FromSeconds(1));
            }
        }

        var view = history.View();
        Assert.Equal((true, 2, 0), (view.Answering, view.Unsettled, view.Settled));
        Assert.Equal(["a", "b"], view.Jobs.Select(j => j.JobId)); // newest opened first

        var a = view.Jobs[0];
        Assert.Equal(("Open", 400L, 200L, 10L), (a.Phase, a.Accepted, a.Settled, a.DeadLettered));
        Assert.Equal((40.0, 20.0), (a.PutRate, a.Rate));
        Assert.Null(a.EtaSeconds); // open: more may come

        var b = view.Jobs[1];
        Assert.Equal(("Closed", 100L, 50L, 0.0, 5.0), (b.Phase, b.Accepted, b.Settled, b.PutRate, b.Rate));
        Assert.Equal(50 / 5.0, b.EtaSeconds); // 50 unfinished at 5 a second
        Assert.Equal(openedAt.AddSeconds(-1), DateTimeOffset.FromUnixTimeMilliseconds(b.OpenedAtMs).UtcDateTime);
    }

    [Fact]
    public void Should_report_a_settled_job_with_its_rate_over_its_whole_life()
    {
        var history = new JobHistory(_time);
        var settled = Job("done", JobPhase.Settled, accepted: 600, completed: 590, deadLettered: 4, discarded: 6, inFlight: 0, openedAt: Now.AddMinutes(-3)) with
        {
            ClosedAt = Now.AddMinutes(-2),
            SettledAt = Now.AddMinutes(-1),
        };
        var cancelled = Job("stopped", JobPhase.Cancelled, accepted: 50, completed: 10, deadLettered: 0, discarded: 40, inFlight: 0, openedAt: Now.AddMinutes(-4)) with
        {
            SettledAt = Now.AddMinutes(-3).AddSeconds(10),
        };

        history.Add([settled, cancelled]);

        var view = history.View();
        Assert.Equal((0, 2), (view.Unsettled, view.Settled));
        var done = view.Jobs[0];
        Assert.Equal(("Settled", 600L, 600L, 590L, 4L, 6L), (done.Phase, done.Accepted, done.Settled, done.Completed, done.DeadLettered, done.Discarded));
        Assert.Equal(600 / 120.0, done.Rate); // opened to settled: two minutes
        Assert.Equal(0, done.EtaSeconds);
        Assert.Equal(Now.AddMinutes(-1), DateTimeOffset.FromUnixTimeMilliseconds(done.SettledAtMs!.Value).UtcDateTime);
        Assert.Equal(("Cancelled", 50L, 50 / 70.0), (view.Jobs[1].Phase, view.Jobs[1].Settled, view.Jobs[1].Rate));
        Assert.Equal(0, history.Windows); // a settled job needs no window
    }

    [Fact]
    public void Should_forget_a_jobs_window_when_it_settles_or_is_no_longer_listed()
    {
        var history = new JobHistory(_time);
        history.Add([Job("x", JobPhase.Open, 10, 0, 0, 0, 10), Job("y", JobPhase.Open, 10, 0, 0, 0, 10)]);
        _time.Advance(TimeSpan.FromSeconds(1));
        history.Add([Job("x", JobPhase.Open, 20, 5, 0, 0, 15), Job("y", JobPhase.Open, 20, 5, 0, 0, 15)]);
        Assert.Equal(2, history.Windows);

        // "x" is forgotten; "y" settles.
        _time.Advance(TimeSpan.FromSeconds(1));
        history.Add([Job("y", JobPhase.Settled, 20, 20, 0, 0, 0) with { SettledAt = Now }]);
        Assert.Equal(0, history.Windows);
        Assert.Equal(["y"], history.View().Jobs.Select(j => j.JobId));

        // An id used again after it was forgotten starts afresh: no rate from the old job's counts.
        _time.Advance(TimeSpan.FromSeconds(1));
        history.Add([Job("x", JobPhase.Open, 3, 0, 0, 0, 3)]);
        Assert.Equal((0.0, 0.0), (history.View().Jobs[0].PutRate, history.View().Jobs[0].Rate));
    }

    [Fact]
    public void Should_keep_a_bounded_window_per_job_however_often_it_samples()
    {
        var history = new JobHistory(_time);
        for (var i = 0; i < 1000; i++)
        {
            // A thousand readings inside one rate window: 900 in which an item a millisecond comes, then 100 in which none does.
            var accepted = Math.Min(i, 900);
            history.Add([Job("fast", JobPhase.Open, accepted, completed: 0, deadLettered: 0, discarded: 0, inFlight: accepted)]);
            _time.Advance(TimeSpan.FromMilliseconds(1));
        }

        // The window holds the last 64 readings, not the whole second: nothing came in them.
        Assert.Equal(0, history.View().Jobs[0].PutRate);
        Assert.Equal(1, history.Windows);

        history.Add([Job("fast", JobPhase.Open, 963, completed: 0, deadLettered: 0, discarded: 0, inFlight: 963)]);
        Assert.Equal(1000, history.View().Jobs[0].PutRate, precision: 6); // 63 items over the 63 ms its 64 readings span
    }

    [Fact]
    public void Should_list_at_most_the_newest_unsettled_and_settled_jobs_and_count_them_all()
    {
        var history = new JobHistory(_time);
        var unsettled = Enumerable.Range(0, 250).Select(i => Job($"u{i}", JobPhase.Open, 1, 0, 0, 0, 1, openedAt: Now.AddSeconds(i)));
        var settled = Enumerable.Range(0, 130).Select(i => Job($"s{i}", JobPhase.Settled, 1, 1, 0, 0, 0, openedAt: Now.AddSeconds(i)) with { SettledAt = Now.AddHours(1) });

        history.Add([.. settled, .. unsettled]);

        var view = history.View();
        Assert.Equal((250, 130), (view.Unsettled, view.Settled));
        Assert.Equal(JobsView.MaxUnsettled + JobsView.MaxSettled, view.Jobs.Count);
        Assert.Equal("u249", view.Jobs[0].JobId);
        Assert.Equal("u50", view.Jobs[JobsView.MaxUnsettled - 1].JobId);
        Assert.Equal("s129", view.Jobs[JobsView.MaxUnsettled].JobId);
        Assert.Equal("s30", view.Jobs[^1].JobId);
    }

    [Fact]
    public void Should_keep_the_last_rows_and_say_the_coordinator_did_not_answer()
    {
        var history = new JobHistory(_time);
        Assert.Equal((false, 0), (history.View().Answering, history.View().Jobs.Count)); // nothing read yet

        history.Add([Job("a", JobPhase.Open, 7, 0, 0, 0, 7)]);
        history.Unanswered();

        var view = history.View();
        Assert.False(view.Answering);
        Assert.Equal(7, Assert.Single(view.Jobs).Accepted);
    }

    private JobStatus Job(string id, JobPhase phase, long accepted, long completed, long deadLettered, long discarded, int inFlight, DateTime? openedAt = null) =>
        new(id, $"the {id} job", phase, 1, accepted, completed, deadLettered, discarded, 0, inFlight, openedAt ?? Now, null, null, [], []);
}
