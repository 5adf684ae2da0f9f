using System.Globalization;
using ActorPipeline.Consumers;
using ActorPipeline.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActorPipeline.Tests.Host;

/// <summary>The whole service in-process, with millisecond delays and more items than the seed's defaults.</summary>
public sealed class PipelineHostSpecs
{
    private const int Producers = 5;
    private const int Consumers = 10;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, string?> FastRun(params (string Key, string Value)[] overrides)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Pipeline:Producers:Count"] = $"{Producers}",
            ["Demo:Producers:MinItems"] = "20",
            ["Demo:Producers:MaxItems"] = "40",
            ["Demo:Producers:MaxDelay"] = "00:00:00.002",
            ["Pipeline:Consumers:Count"] = $"{Consumers}",
            ["Demo:Consumers:MaxDelay"] = "00:00:00.003",
            ["Pipeline:Consumers:RetryBackoff"] = "00:00:00.001",
            ["Pipeline:Drain:Timeout"] = "00:00:10",
            ["Pipeline:Persistence:Provider"] = "InMemory",
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        return settings;
    }

    [Fact]
    public async Task Should_get_every_added_item_exactly_once_join_after_the_last_task_done_then_cancel_consumers()
    {
        // The demo's handler as the pipeline runs it (decoded, from the container), observed.
        await using var harness = new PipelineHarness(FastRun(("Demo:Consumers:MaxDelay", "00:00:00.003")), sp => new ObservedWorkHandler(
            sp.GetRequiredService<PipelineParts>().CreateHandler(sp), sp.GetRequiredService<ILogger<ObservedWorkHandler>>()));

        var summary = await harness.RunAsync(Ct);

        var events = harness.Sink.Events;
        var added = events.Where(e => e.Is(Templates.Added)).Select(e => (string)e.Property("Item")!).Order().ToList();
        var got = events.Where(e => e.Is(Templates.Got)).Select(e => (string)e.Property("Item")!).Order().ToList();
        Assert.InRange(added.Count, Producers * 20, Producers * 40);
        Assert.Equal(added, got);

        var joined = Assert.Single(events.IndexesOf(Templates.Joined));
        Assert.All(events.IndexesOf(ObservedWorkHandler.WorkDone), done => Assert.True(done < joined, "work finished after the join"));
        Assert.Equal(added.Count, events.IndexesOf(ObservedWorkHandler.WorkDone).Count);
        var cancelled = events.IndexesOf(Templates.Cancelled);
        Assert.Equal(Consumers, cancelled.Count);
        Assert.All(cancelled, c => Assert.True(c > joined, "a consumer was cancelled before the join"));

        Assert.Equal((added.Count, added.Count, added.Count), (summary.Produced, summary.Accepted, summary.Completed));
        Assert.Equal((0L, 0L, 0L), (summary.NotCompleted, summary.DeadLettered, summary.Redelivered));
        Assert.Equal(ExitCodes.Success, summary.ExitCode);
        var logged = Assert.Single(events, e => e.Is(Templates.Summary));
        Assert.Equal((long)added.Count, logged.Property("Completed"));
        var completed = Assert.Single(events.IndexesOf(Templates.Completed));
        Assert.True(completed > events.IndexesOf(Templates.Summary)[0]);
    }

    [Fact]
    public async Task Should_log_latency_and_elapsed_seconds_with_five_decimals()
    {
        await using var harness = new PipelineHarness(FastRun(("Demo:Producers:MaxItems", "20")));

        var summary = await harness.RunAsync(Ct);

        var events = harness.Sink.Events;
        var got = events.Where(e => e.Is(Templates.Got)).ToList();
        Assert.True(summary.Completed >= Producers * 20, $"{summary.Completed} completed"); // MinItems = MaxItems = 20 per producer
        Assert.Equal(summary.Completed, got.Count); // one Got per completed item, so the format check below is not vacuous
        Assert.All(got, e =>
            Assert.Matches(@"^\d+\.\d{5}$", ((decimal)e.Property("Latency")!).ToString(CultureInfo.InvariantCulture)));
        var elapsed = (decimal)Assert.Single(events, e => e.Is(Templates.Completed)).Property("Elapsed")!;
        Assert.Matches(@"^\d+\.\d{5}$", elapsed.ToString(CultureInfo.InvariantCulture));
        Assert.True(elapsed > 0);
    }

    [Fact]
    public async Task Should_retry_then_dead_letter_failing_items_report_them_and_exit_with_code_2()
    {
        // Every item whose first byte is even fails on every attempt.
        var attempts = 0;
        await using var harness = new PipelineHarness(
            FastRun(("Pipeline:Consumers:MaxAttempts", "2")),
            _ => new DelegateWorkHandler(context =>
            {
                Interlocked.Increment(ref attempts);
                if (context.Item.Payload.Span[0] % 2 == 0)
                {
                    throw new InvalidOperationException($"cannot process {context.Item.Hex}");
                }
            }));

        var summary = await harness.RunAsync(Ct);

        var events = harness.Sink.Events;
        var poisoned = events.Where(e => e.Is(Templates.Added)).Select(e => (string)e.Property("Item")!)
            .Where(hex => Convert.FromHexString(hex)[0] % 2 == 0).Order().ToList();
        Assert.NotEmpty(poisoned);
        Assert.Equal(poisoned.Count, summary.DeadLettered);
        Assert.Equal(poisoned, summary.DeadLetters.Select(d => d.Item.Hex).Order());
        Assert.Equal(poisoned, events.Where(e => e.Is(Templates.DeadLetter)).Select(e => (string)e.Property("Item")!).Order());
        Assert.All(summary.DeadLetters, d => Assert.Equal(2, d.Attempts));
        Assert.Equal(summary.Accepted, summary.Completed + summary.DeadLettered);
        Assert.Equal(summary.Completed + (2 * summary.DeadLettered), attempts);
        Assert.Equal(ExitCodes.DeadLettered, summary.ExitCode);
    }

    [Fact]
    public async Task Should_stop_producers_without_finishing_the_run_on_a_stop_request_and_exit_3()
    {
        await using var harness = new PipelineHarness(FastRun(
            ("Demo:Producers:MinItems", "1000"),
            ("Demo:Producers:MaxItems", "1000"),
            ("Demo:Producers:MinDelay", "00:00:00.005"),
            ("Demo:Producers:MaxDelay", "00:00:00.010")));
        var run = harness.RunAsync(Ct);
        await WaitUntilAsync(() => harness.Sink.Count(Templates.Added) >= 20);

        harness.Lifetime.StopApplication(); // what SIGTERM and Ctrl-C do

        var summary = await run;
        Assert.True(summary.Interrupted);
        Assert.False(summary.RunEnded); // a stop is not a finish
        Assert.InRange(summary.Produced, 20, (Producers * 1000) - 1);
        Assert.Equal(summary.Produced, summary.Accepted);
        Assert.Equal(summary.Accepted, summary.Completed + summary.NotCompleted); // nothing dropped, nothing dead
        Assert.Equal(ExitCodes.Unfinished, summary.ExitCode);
        Assert.Single(harness.Sink.Events, e => e.Is(Templates.Draining));
        var notFinished = Assert.Single(harness.Sink.Events, e => e.Is(Templates.RunNotFinished));
        Assert.Equal((Producers, Producers), ((int)notFinished.Property("StoppedEarly")!, (int)notFinished.Property("Producers")!));
        Assert.DoesNotContain(harness.Sink.Events, e => e.Is(Templates.Joined) || e.Is(Templates.ProducersFinished));
        Assert.Equal(Consumers, harness.Sink.Count(Templates.Cancelled));
    }

    [Fact]
    public async Task Should_count_what_a_timed_out_drain_left_unfinished_and_exit_3()
    {
        var started = 0;
        await using var harness = new PipelineHarness(
            FastRun(("Pipeline:Drain:Timeout", "00:00:00.300")),
            _ => new DelegateWorkHandler(async (_, cancellationToken) =>
            {
                Interlocked.Increment(ref started);
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken); // work that never ends
            }));
        var run = harness.RunAsync(Ct);
        await WaitUntilAsync(() => Volatile.Read(ref started) >= Consumers);

        harness.Lifetime.StopApplication();

        var summary = await run;
        Assert.False(summary.RunEnded);
        Assert.Equal(0, summary.Completed);
        Assert.True(summary.NotCompleted >= Consumers);
        Assert.Equal(summary.Accepted, summary.Completed + summary.DeadLettered + summary.NotCompleted);
        Assert.Equal(ExitCodes.Unfinished, summary.ExitCode);
        Assert.Single(harness.Sink.Events, e => e.Is(Templates.DrainTimedOut));
        Assert.Equal(Consumers, harness.Sink.Count(Templates.Cancelled));
    }

    [Fact]
    public async Task Should_log_progress_events_that_change_and_end_with_everything_done()
    {
        await using var harness = new PipelineHarness(FastRun(
            ("Pipeline:Queue:ProgressInterval", "00:00:00.050"),
            ("Demo:Producers:MinDelay", "00:00:00.005"), // at least 100 ms of producing: several intervals
            ("Demo:Producers:MaxDelay", "00:00:00.010")));

        var summary = await harness.RunAsync(Ct);

        var progress = harness.Sink.Events.Where(e => e.MessageTemplate.Text.StartsWith("Progress: ", StringComparison.Ordinal)).ToList();
        Assert.True(progress.Count >= 2, $"{progress.Count} progress events");
        var figures = progress.Select(e => ((long)e.Property("Done")!, (long)e.Property("Accepted")!)).ToList();
        Assert.All(figures.Zip(figures.Skip(1)), pair => Assert.NotEqual(pair.Item1, pair.Item2)); // silent when nothing changed
        Assert.All(figures, f => Assert.InRange(f.Item1, 0, f.Item2));
        Assert.All(figures, f => Assert.InRange(f.Item2, 0, summary.Accepted));
        Assert.All(figures.Zip(figures.Skip(1)), pair =>
        {
            Assert.True(pair.Item2.Item1 >= pair.Item1.Item1, $"done went back from {pair.Item1.Item1} to {pair.Item2.Item1}");
            Assert.True(pair.Item2.Item2 >= pair.Item1.Item2, $"accepted went back from {pair.Item1.Item2} to {pair.Item2.Item2}");
        });
        Assert.True(summary.Accepted >= Producers * 20, $"{summary.Accepted} accepted"); // MinItems 20 per producer
        Assert.Equal(summary.Accepted, summary.Completed); // nothing fails in this run
        Assert.Equal((summary.Accepted, summary.Accepted), figures[^1]); // the last event is everything done
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        while (!condition())
        {
            await poll.WaitForNextTickAsync(timeout.Token);
        }
    }
}
