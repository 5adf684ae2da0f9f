using ActorPipeline.Tests.Host;

namespace ActorPipeline.ClusterTests;

/// <summary>
/// The coordinator's journal (SQLite, shared by the coordinator nodes of a spec) against real
/// crashes: the singleton's node killed, every process killed and started again, poison items.
/// </summary>
public sealed class DurabilitySpecs(ITestOutputHelper output)
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(55);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly (string, string) AkkaInfo = ("Serilog__MinimumLevel__Override__Akka", "Information");

    private static Func<IReadOnlyCollection<string>, bool> Logged(string fragment, int times = 1) =>
        lines => lines.Count(l => l.Contains(fragment, StringComparison.Ordinal)) >= times;

    [Fact]
    public async Task Should_let_a_standby_coordinator_take_over_from_the_journal_when_the_singletons_node_is_killed()
    {
        using var cluster = new ClusterNodes(output, members: 4);
        var first = cluster.StartCoordinator(AkkaInfo);
        var second = cluster.StartOnOwnPort("coordinator", AkkaInfo);
        var producer = cluster.StartProducers(NodeSettings.Producers(2, 30, "00:00:00.060"));
        var consumer = cluster.StartConsumers(NodeSettings.Consumers(3, "00:00:00.010", "00:00:00.040"));
        await consumer.WaitForOutputAsync(Logged("got element", 10), RunLimit, Ct);

        var (hosting, standby) = first.Lines("Singleton manager started singleton actor") > 0 ? (first, second) : (second, first);
        Assert.Equal(1, hosting.Lines("Singleton manager started singleton actor"));
        hosting.KillNow();

        Assert.True(await standby.WaitForExitAsync(RunLimit, Ct) == 0, "standby");
        Assert.Equal(0, await producer.WaitForExitAsync(RunLimit, Ct));
        Assert.Equal(0, await consumer.WaitForExitAsync(RunLimit, Ct));
        Assert.True(standby.Lines("Coordinator recovered run") == 1, "the standby recovered the queue from the journal");
        var summary = standby.Summary();
        Assert.Equal((60L, 60L, 0L), (summary.Count("Accepted"), summary.Count("Completed"), summary.Count("NotCompleted")));
        Assert.Equal(60L, producer.Summary().Count("Produced"));
        Assert.Subset(consumer.Items(Templates.Got).ToHashSet(), producer.Items(Templates.Added).ToHashSet());
    }

    [Fact]
    public async Task Should_resume_the_run_after_every_process_is_killed_and_started_again_completing_each_item_once()
    {
        using var cluster = new ClusterNodes(output, members: 3);
        var coordinator = cluster.StartCoordinator();
        var producer = cluster.StartOnOwnPort("producer", NodeSettings.Producers(2, 25, "00:00:00.060"));
        var consumer = cluster.StartOnOwnPort("consumer", NodeSettings.Consumers(2, "00:00:00.020", "00:00:00.060"));
        await producer.WaitForOutputAsync(Logged("added <", 12), RunLimit, Ct);

        foreach (var node in new[] { coordinator, producer, consumer })
        {
            node.KillNow();
            await node.WaitForExitAsync(RunLimit, Ct); // and its output read to the end
        }

        var before = producer.Items(Templates.Added);
        coordinator = cluster.Restart(coordinator);
        producer = cluster.Restart(producer);
        consumer = cluster.Restart(consumer);

        Assert.True(await coordinator.WaitForExitAsync(RunLimit, Ct) == 0, "coordinator");
        Assert.Equal(0, await producer.WaitForExitAsync(RunLimit, Ct));
        Assert.Equal(0, await consumer.WaitForExitAsync(RunLimit, Ct));
        Assert.Equal(1, coordinator.Lines("Coordinator recovered run"));
        Assert.Equal(2, producer.Lines("resumes after its put")); // both producers picked up where the queue had them
        var summary = coordinator.Summary();
        Assert.Equal((50L, 50L, 0L, 0L), (summary.Count("Accepted"), summary.Count("Completed"), summary.Count("DeadLettered"), summary.Count("NotCompleted")));
        // The resumed producers put none of the items added before the crash. A put stored just before the kill
        // may never have been logged as added (its acknowledgement died with the process): at most one per producer.
        var after = producer.Items(Templates.Added);
        Assert.Empty(before.Intersect(after));
        Assert.InRange(before.Count + after.Count, 48, 50);

        // And they are the seed's items, drawn the same way in every process: what the restart skipped was what the queue had.
        var expected = await SeedItemsAsync(cluster.NameOf(producer), producers: 2, items: 25, maxDelay: TimeSpan.FromMilliseconds(60));
        Assert.Subset(expected, before.Concat(after).ToHashSet());
        output.WriteLine($"accounting after the restart: {summary}");
    }

    /// <summary>The items the seeded source gives producers 0..n-1 with the spec's settings (seed 444; the delays are drawn too).</summary>
    private static async Task<HashSet<string>> SeedItemsAsync(string node, int producers, int items, TimeSpan maxDelay)
    {
        var demo = new ActorPipeline.Host.Demo.DemoOptions { Seed = 444, Producers = { MinItems = items, MaxItems = items, MaxDelay = maxDelay } };
        var source = new ActorPipeline.Host.Demo.RandomItemSource(
            Microsoft.Extensions.Options.Options.Create(demo), Microsoft.Extensions.Logging.Abstractions.NullLogger<ActorPipeline.Host.Demo.RandomItemSource>.Instance);
        var all = new HashSet<string>();
        for (var producer = 0; producer < producers; producer++)
        {
            await foreach (var item in source.ReadAsync(new SourceContext(producer, producers, $"{node}/producer-{producer}", node, 0), Ct))
            {
                all.Add(Convert.ToHexStringLower(item));
            }
        }

        return all;
    }

    [Fact]
    public async Task Should_retry_then_dead_letter_poison_items_list_them_and_exit_with_code_2()
    {
        const double PoisonRate = 0.25;
        using var cluster = new ClusterNodes(output, members: 3);
        var coordinator = cluster.StartCoordinator();
        var producer = cluster.StartProducers(NodeSettings.Producers(2, 20, "00:00:00.010"));
        var consumer = cluster.StartConsumers(
        [
            .. NodeSettings.Consumers(2, "0:0:0", "00:00:00.005"),
            ("Demo__Consumers__PoisonRate", PoisonRate.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Pipeline__Consumers__MaxAttempts", "3"),
            ("Pipeline__Consumers__RetryBackoff", "00:00:00.010"),
        ]);

        Assert.True(await coordinator.WaitForExitAsync(RunLimit, Ct) == 2, "completed with dead letters");
        Assert.Equal(2, await producer.WaitForExitAsync(RunLimit, Ct));
        Assert.Equal(2, await consumer.WaitForExitAsync(RunLimit, Ct));

        // The demo's handler fails every item whose first byte is below PoisonRate * 256, on every attempt: which
        // items those are follows from the seeded source, the same in every process.
        var seeded = await SeedItemsAsync(cluster.NameOf(producer), producers: 2, items: 20, maxDelay: TimeSpan.FromMilliseconds(10));
        Assert.Equal(40, seeded.Count);
        var poison = seeded.Where(hex => Convert.FromHexString(hex)[0] < PoisonRate * 256).Order().ToList();
        Assert.NotEmpty(poison); // the seed draws some: otherwise this spec would check nothing

        var summary = coordinator.Summary();
        var deadLettered = summary.Count("DeadLettered");
        Assert.Equal(poison.Count, deadLettered);
        Assert.Equal(seeded.Count - poison.Count, summary.Count("Completed"));
        var listed = coordinator.WithTemplate(Templates.DeadLetter).ToList();
        Assert.Equal(poison, listed.Select(e => e.GetProperty("Item").GetString()!).Order());
        Assert.All(listed, e => Assert.Equal(3, e.GetProperty("Attempts").GetInt32()));
        Assert.True(consumer.Lines("retrying in") >= 2 * deadLettered, "each dead letter was retried twice first");

        using var list = HostProcess.Start(["dead-letters", "list", cluster.JournalSetting], new Dictionary<string, string>());
        Assert.Equal(0, await list.WaitForExitAsync(RunLimit, Ct));
        Assert.Equal($"{poison.Count} dead letters", list.Stdout.First());
        var listedByCommand = list.Stdout.Where(l => l.StartsWith("item ", StringComparison.Ordinal))
            .Select(l => System.Text.RegularExpressions.Regex.Match(l, "^item [0-9]+  <([0-9a-f]+)>  attempts 3  ").Groups[1].Value);
        Assert.Equal(poison, listedByCommand.Order());
    }
}
