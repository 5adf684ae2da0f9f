using System.Collections.Concurrent;
using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;

namespace ActorPipeline.Tests.Library;

/// <summary>
/// A handler's results reach the sink before the item is done: once per completed item in a clean run, under
/// the item's stable id, and again with a higher delivery count when the item is redelivered after its result
/// was written, so a sink keyed on the item id stays exactly-once. A sink that throws fails the attempt.
/// </summary>
public sealed class ResultSinkSpecs(ITestOutputHelper output)
{
    private const int Producers = 2;
    private const int ItemsPerProducer = 12;
    private const int Items = Producers * ItemsPerProducer;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly WorkItemSource Source = new(ItemsPerProducer);

    [Fact(Timeout = 120_000)]
    public async Task Should_write_every_completed_items_result_once_under_its_own_item_id_in_a_clean_run()
    {
        var script = new Script();
        await using var harness = Harness(script);

        var summary = await harness.RunAsync(Ct);

        Assert.Equal((Items, Items, ExitCodes.Success), (summary.Accepted, summary.Completed, summary.ExitCode));
        var writes = script.Writes.ToList();
        Assert.Equal(Items, writes.Count);
        Assert.Equal(Items, writes.Select(w => w.ItemId).Distinct().Count());
        Assert.Equal(Source.All(Producers).Select(Label).Order(), writes.Select(w => w.Value).Order());
        Assert.All(writes, w => Assert.Equal(1, w.DeliveryCount));

        // Each result is filed under the id its handler was told for that item.
        var idOfItem = script.Attempts.ToDictionary(a => Label(a.Item), a => a.ItemId);
        Assert.All(writes, w => Assert.Equal(idOfItem[w.Value], w.ItemId));
    }

    [Fact(Timeout = 120_000)]
    public async Task Should_write_a_result_once_when_an_attempt_failed_before_the_one_that_succeeded()
    {
        var script = new Script { HandlerFailsFirstAttempt = item => item.Number % 4 == 0 };
        await using var harness = Harness(script);

        var summary = await harness.RunAsync(Ct);

        Assert.Equal((Items, ExitCodes.Success), (summary.Completed, summary.ExitCode));
        var retried = Source.All(Producers).Where(script.HandlerFailsFirstAttempt).Select(Label).ToHashSet();
        Assert.Equal(Producers * 3, retried.Count);
        Assert.All(retried, label => Assert.Equal([1, 2], script.Attempts.Where(a => Label(a.Item) == label).Select(a => a.Attempt).Order()));
        var writes = script.Writes.ToList();
        Assert.Equal(Items, writes.Count);
        Assert.All(retried, label => Assert.Equal(1, Assert.Single(writes, w => w.Value == label).DeliveryCount));
    }

    [Fact(Timeout = 120_000)]
    public async Task Should_fail_the_attempt_when_the_sink_throws_retry_the_item_and_dead_letter_it_after_its_last_attempt()
    {
        var once = new WorkItem(0, 3);
        var always = new WorkItem(1, 5);
        var script = new Script { SinkFailures = { [Label(once)] = 1, [Label(always)] = int.MaxValue } };
        await using var harness = Harness(script, ("Pipeline:Consumers:MaxAttempts", "2"));

        var summary = await harness.RunAsync(Ct);

        Assert.Equal(2, script.Attempts.Count(a => a.Item == once)); // the handler ran again: the attempt failed
        Assert.Single(script.Writes, w => w.Value == Label(once));
        Assert.Equal(2, script.Attempts.Count(a => a.Item == always));
        Assert.DoesNotContain(script.Writes, w => w.Value == Label(always));

        Assert.Equal((Items - 1L, 1L, ExitCodes.DeadLettered), (summary.Completed, summary.DeadLettered, summary.ExitCode));
        var dead = Assert.Single(summary.DeadLetters);
        Assert.Equal(script.Attempts.First(a => a.Item == always).ItemId, dead.ItemId);
        Assert.Contains($"the store refused {Label(always)}", dead.Error, StringComparison.Ordinal);
        Assert.Equal(Items - 1, script.Writes.Count);
    }

    [Fact(Timeout = 120_000)]
    public async Task Should_write_a_result_again_under_the_same_item_id_when_its_item_is_redelivered_after_the_write()
    {
        var lost = new WorkItem(1, 4);
        var script = new Script { HangAfterFirstWriteOf = Label(lost) };
        await using var harness = Harness(script);
        var run = harness.RunAsync(Ct);

        // The result is stored, then the consumer holding the item dies before it can say the item is done.
        var written = await script.FirstWriteOfLostItem.Task.WaitAsync(Ct);
        var holder = script.Attempts.Single(a => a.Item == lost).ConsumerId;
        var consumer = await harness.System.ActorSelection(harness.Consumers.Path / $"consumer-{holder}").ResolveOne(TimeSpan.FromSeconds(10), Ct);
        consumer.Tell(Kill.Instance);
        var summary = await run;

        Assert.Equal((Items, ExitCodes.Success), (summary.Completed, summary.ExitCode));
        Assert.True(summary.Redelivered >= 1, $"{summary.Redelivered} redelivered");
        var writesOfLost = script.Writes.Where(w => w.Value == Label(lost)).ToList();
        Assert.Equal(2, writesOfLost.Count);
        Assert.Equal(written, writesOfLost[0]);
        Assert.Equal(written with { DeliveryCount = 2 }, writesOfLost[1]); // same item id, same value, the next delivery

        // What else the dead consumer held comes back too: items it had not started (written once, from delivery 2) and
        // items it had finished but not yet reported done (task_done goes in batches), written again under the same id
        // and value from a later delivery. A sink keyed on the item id holds each item once.
        foreach (var writes in script.Writes.GroupBy(w => w.ItemId))
        {
            Assert.Single(writes.Select(w => w.Value).Distinct());
            var counts = writes.Select(w => w.DeliveryCount).ToList();
            Assert.Equal(counts.Order().Distinct(), counts);
        }

        var keyed = new Dictionary<long, string>();
        foreach (var write in script.Writes)
        {
            keyed[write.ItemId] = write.Value;
        }

        Assert.Equal(Source.All(Producers).Select(Label).Order(), keyed.Values.Order());
        output.WriteLine($"{script.Writes.Count} writes of {Items} items; {summary.Redelivered} redelivered.");
    }

    [Fact(Timeout = 120_000)]
    public async Task Should_use_one_handler_for_every_item_and_still_write_each_result_when_handler_and_sink_are_singletons()
    {
        // A singleton handler and sink run without a scope per item; the results must reach the sink as they do from a scope,
        // both from work that completes at once and from work that awaits, and a failing first attempt is still retried.
        var script = new Script { HandlerFailsFirstAttempt = item => item.Number == 5 };
        await using var harness = new UserPipelineHarness(
            p => p.AddItemSource<WorkItemSource>().AddWorkHandler<SharedLabelItem>().AddResultSink<CollectingSink>(),
            services => services.AddSingleton(Source).AddSingleton(script).AddSingleton<SharedLabelItem>(),
            ("Pipeline:Producers:Count", $"{Producers}"));

        var summary = await harness.RunAsync(Ct);

        Assert.Equal((Items, Items, ExitCodes.Success), (summary.Accepted, summary.Completed, summary.ExitCode));
        Assert.Equal(1, script.HandlersCreated);
        var writes = script.Writes.ToList();
        Assert.Equal(Source.All(Producers).Select(Label).Order(), writes.Select(w => w.Value).Order());
        Assert.Equal(Items, writes.Select(w => w.ItemId).Distinct().Count());
        Assert.Equal(Producers, script.Attempts.Count(a => a.Attempt == 2)); // item 5 of each producer, once more
    }

    [Fact]
    public async Task Should_give_the_sink_each_deliverys_count_under_the_one_item_id()
    {
        var script = new Script();
        await using var pipeline = new ComposedPipeline(
            p => p.AddItemSource<WorkItemSource>().AddWorkHandler<LabelItem>().AddResultSink<CollectingSink>(),
            services => services.AddSingleton(Source).AddSingleton(script));
        var payload = new JsonItemCodec<WorkItem>().Encode(new WorkItem(3, 9));

        // The same item delivered twice (its first consumer was lost after the write), as the coordinator hands it out.
        await pipeline.HandleAsync(payload, itemId: 77, deliveryId: 1_001, deliveryCount: 1, Ct);
        await pipeline.HandleAsync(payload, itemId: 77, deliveryId: 2_005, deliveryCount: 2, Ct);

        Assert.Equal([new ItemResult<string>(77, "3.9 done", 1), new ItemResult<string>(77, "3.9 done", 2)], script.Writes);
        Assert.Equal([(77L, 1_001L, 1), (77L, 2_005L, 2)], script.Attempts.Select(a => (a.ItemId, a.DeliveryId, a.DeliveryCount)));
    }

    private static string Label(WorkItem item) => $"{item} done";

    private static UserPipelineHarness Harness(Script script, params (string Key, string Value)[] settings) =>
        new(
            p => p.AddItemSource<WorkItemSource>().AddWorkHandler<LabelItem>().AddResultSink<CollectingSink>(),
            services => services.AddSingleton(Source).AddSingleton(script),
            [("Pipeline:Producers:Count", $"{Producers}"), .. settings]);

    /// <summary>What the handler and sink are told to do, and what they saw, shared with the spec.</summary>
    private sealed class Script
    {
        public Func<WorkItem, bool> HandlerFailsFirstAttempt { get; init; } = _ => false;

        /// <summary>How many writes of a result (by its value) the sink refuses before it takes one.</summary>
        public ConcurrentDictionary<string, int> SinkFailures { get; } = new();

        /// <summary>The result whose first delivery's write is stored and then never returns (until its attempt is cancelled).</summary>
        public string? HangAfterFirstWriteOf { get; init; }

        public TaskCompletionSource<ItemResult<string>> FirstWriteOfLostItem { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<(WorkItem Item, long ItemId, long DeliveryId, int DeliveryCount, int Attempt, int ConsumerId)> Attempts { get; } = new();

        /// <summary>How many handler instances were made (counted by handlers that count themselves).</summary>
        public int HandlersCreated;

        /// <summary>Every result the sink stored, in order.</summary>
        public ConcurrentQueue<ItemResult<string>> Writes { get; } = new();
    }

    private sealed class LabelItem(Script script) : IWorkHandler<WorkItem, string>
    {
        public ValueTask<string> HandleAsync(WorkItem item, WorkContext context)
        {
            script.Attempts.Enqueue((item, context.ItemId, context.DeliveryId, context.DeliveryCount, context.Attempt, context.ConsumerId));
            if (context.Attempt == 1 && script.HandlerFailsFirstAttempt(item))
            {
                throw new InvalidOperationException($"first attempt at {item} fails");
            }

            return ValueTask.FromResult(Label(item));
        }
    }

    /// <summary>A handler the user registered as a singleton: counts its instances, and awaits for odd items.</summary>
    private sealed class SharedLabelItem : IWorkHandler<WorkItem, string>
    {
        private readonly Script _script;

        public SharedLabelItem(Script script)
        {
            _script = script;
            Interlocked.Increment(ref script.HandlersCreated);
        }

        public async ValueTask<string> HandleAsync(WorkItem item, WorkContext context)
        {
            if (item.Number % 2 == 1)
            {
                await Task.Yield();
            }

            _script.Attempts.Enqueue((item, context.ItemId, context.DeliveryId, context.DeliveryCount, context.Attempt, context.ConsumerId));
            if (context.Attempt == 1 && _script.HandlerFailsFirstAttempt(item))
            {
                throw new InvalidOperationException($"first attempt at {item} fails");
            }

            return Label(item);
        }
    }

    private sealed class CollectingSink(Script script) : IResultSink<string>
    {
        public async ValueTask WriteAsync(ItemResult<string> result, CancellationToken cancellationToken)
        {
            if (script.SinkFailures.TryGetValue(result.Value, out var failures) && failures > 0)
            {
                script.SinkFailures[result.Value] = failures - 1;
                throw new IOException($"the store refused {result.Value}");
            }

            script.Writes.Enqueue(result);
            if (result.Value == script.HangAfterFirstWriteOf && result.DeliveryCount == 1)
            {
                script.FirstWriteOfLostItem.TrySetResult(result);
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            }
        }
    }
}
