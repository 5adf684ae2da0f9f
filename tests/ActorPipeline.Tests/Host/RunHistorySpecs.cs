using ActorPipeline.Coordinator;
using Microsoft.Extensions.Time.Testing;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Tests.Host;

/// <summary>The page's memory on a fake clock: phases, rates over the window, the ETA, the charts' span and the dead-letter list.</summary>
public sealed class RunHistorySpecs
{
    private static readonly QueueStatus Producing = new(
        Size: 0, InFlight: 0, Capacity: 0, IsShutDown: false, Accepted: 0, Completed: 0, DeadLettered: 0, Dropped: 0, Redelivered: 0,
        ParkedPuts: 0, WaitingGetters: 0, DuplicateAcks: 0, Consumers: 2, ExpectedProducers: 2, ProducersRegistered: 2, ProducersDone: 0, ProducersLost: 0);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Should_name_the_phase_from_the_status_alone()
    {
        Assert.Equal(RunPhase.Producing, RunHistory.PhaseOf(Producing with { ProducersDone = 1 }));
        Assert.Equal(RunPhase.Draining, RunHistory.PhaseOf(Producing with { ProducersDone = 1, ProducersLost = 1, Size = 3 }));
        Assert.Equal(RunPhase.Joined, RunHistory.PhaseOf(Producing with { ProducersDone = 2, IsRunComplete = true }));
        Assert.Equal(RunPhase.ShutDown, RunHistory.PhaseOf(Producing with { IsShutDown = true, Size = 1 }));
        Assert.Equal(RunPhase.Joined, RunHistory.PhaseOf(Producing with { IsShutDown = true, ProducersDone = 2, IsRunComplete = true })); // over is over
    }

    [Fact]
    public void Should_never_say_joined_while_the_coordinator_still_waits_for_a_producer()
    {
        // The expected producers are done and nothing is left, but the coordinator waits: a producer node may still
        // join within the join window, or a stopped producer come back. The page says what the coordinator says.
        var waiting = Producing with { ProducersDone = 2, IsRunComplete = false };

        Assert.Equal(RunPhase.Producing, RunHistory.PhaseOf(waiting));
    }

    [Fact]
    public void Should_take_rates_over_the_last_five_seconds_and_give_an_eta_only_while_draining()
    {
        var history = new RunHistory(TimeSpan.FromMinutes(10), _time);
        for (var second = 0; second <= 10; second++)
        {
            // 100 accepted and 50 completed a second, then the producers finish at 10 s.
            history.Add(Overview(Producing with { Accepted = 100 * second, Completed = 50 * second, InFlight = 50 * second, ProducersDone = second == 10 ? 2 : 0 }));
            if (second < 10)
            {
                _time.Advance(TimeSpan.FromSeconds(1));
            }
        }

        var view = history.View(full: true, requeueAllowed: false);
        Assert.Equal((100.0, 50.0), (view.PutRate, view.CompletionRate));
        Assert.Equal(nameof(RunPhase.Draining), view.Phase);
        Assert.Equal(500 / 50.0, view.EtaSeconds); // 500 unfinished at 50 a second
        Assert.Equal(11, view.History.Count);

        // A live update carries the newest point only.
        var update = history.View(full: false, requeueAllowed: false);
        Assert.Equal(view.History[^1], Assert.Single(update.History));
    }

    [Fact]
    public void Should_give_no_eta_while_producing_and_none_for_a_drain_that_does_not_move()
    {
        var history = new RunHistory(TimeSpan.FromMinutes(10), _time);
        history.Add(Overview(Producing with { Accepted = 10, Size = 10 }));
        Assert.Null(history.View(full: false, requeueAllowed: false).EtaSeconds);

        _time.Advance(TimeSpan.FromSeconds(1));
        history.Add(Overview(Producing with { Accepted = 10, Size = 10, ProducersDone = 2 }));
        var stuck = history.View(full: false, requeueAllowed: false);
        Assert.Equal((nameof(RunPhase.Draining), (double?)null), (stuck.Phase, stuck.EtaSeconds));
    }

    [Fact]
    public void Should_read_a_counter_that_restarts_with_a_new_run_as_no_progress()
    {
        var history = new RunHistory(TimeSpan.FromMinutes(10), _time);
        history.Add(Overview(Producing with { Accepted = 1000, Completed = 1000 }));
        _time.Advance(TimeSpan.FromSeconds(1));
        history.Add(Overview(Producing with { Accepted = 5, Completed = 0 }));

        var view = history.View(full: false, requeueAllowed: false);
        Assert.Equal((0.0, 0.0), (view.PutRate, view.CompletionRate));
    }

    [Fact]
    public void Should_keep_chart_points_for_the_history_it_was_given_and_no_longer()
    {
        var history = new RunHistory(TimeSpan.FromSeconds(30), _time);
        for (var i = 0; i < 100; i++)
        {
            history.Add(Overview(Producing with { Size = i }));
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        var points = history.View(full: true, requeueAllowed: false).History;
        Assert.Equal(31, points.Count); // now and the 30 s before it
        Assert.Equal(99, points[^1].Queued);
    }

    [Fact]
    public void Should_rate_each_consumer_and_producer_and_leave_a_stopped_consumer_at_zero()
    {
        var history = new RunHistory(TimeSpan.FromMinutes(10), _time);
        history.Add(Overview(Producing, [new("a", 1, 0, true), new("b", 1, 0, true)], [new("p", "n", ProducerPhase.Active, 0)]));
        _time.Advance(TimeSpan.FromSeconds(2));
        history.Add(Overview(Producing, [new("a", 1, 20, true), new("b", 0, 6, false)], [new("p", "n", ProducerPhase.Active, 30)]));

        var view = history.View(full: false, requeueAllowed: false);
        Assert.Equal([new ConsumerView("a", 1, 20, 10, true), new ConsumerView("b", 0, 6, 0, false)], view.Consumers);
        Assert.Equal(new ProducerView("p", "n", "Active", 30, 15), Assert.Single(view.Producers));
    }

    [Fact]
    public void Should_list_the_dead_letters_the_overview_carries_and_count_every_one()
    {
        var history = new RunHistory(TimeSpan.FromMinutes(10), _time);
        history.Add(Overview(Producing with { DeadLettered = 80 }) with
        {
            NewestDeadLetters = [new(80, 3, "boom", new byte[] { 0x0b, 0xad }, 2), new(79, 1, "bang", new byte[32], 1000)],
        });

        var dead = history.View(full: false, requeueAllowed: true).DeadLetters;
        Assert.Equal(80, dead.Total);
        Assert.Equal([new DeadLetterView(80, 3, "boom", "0bad", 2), new DeadLetterView(79, 1, "bang", new string('0', 64), 1000)], dead.Newest);
    }

    [Fact]
    public void Should_say_the_coordinator_is_silent_and_keep_its_last_figures()
    {
        var history = new RunHistory(TimeSpan.FromMinutes(10), _time);
        Assert.Null(history.View(full: true, requeueAllowed: false).Phase); // nothing read yet

        history.Add(Overview(Producing with { Accepted = 7 }));
        history.Unanswered();

        var view = history.View(full: false, requeueAllowed: false);
        Assert.False(view.Answering);
        Assert.Equal(7, view.Status!.Accepted);
    }

    private static QueueOverview Overview(QueueStatus status, IReadOnlyList<ConsumerOverview>? consumers = null, IReadOnlyList<ProducerOverview>? producers = null) =>
        new(status, consumers ?? [], producers ?? [], LatencySummary.None(TimeSpan.FromMinutes(1)), []);
}
