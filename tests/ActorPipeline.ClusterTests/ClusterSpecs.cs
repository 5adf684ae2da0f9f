using ActorPipeline.Tests.Host;

namespace ActorPipeline.ClusterTests;

/// <summary>
/// Real Host processes on 127.0.0.1 forming one Akka.Cluster: a coordinator node (its own seed),
/// producer nodes and consumer nodes. Nodes are killed for real.
/// </summary>
public sealed class ClusterSpecs(ITestOutputHelper output)
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(50);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<int> ExitOf(HostProcess node)
    {
        var code = await node.WaitForExitAsync(RunLimit, Ct);
        return code;
    }

    private static string Log(params HostProcess[] nodes) =>
        string.Join("\n----\n", nodes.Select(n => string.Join('\n', n.Stdout.TakeLast(40).Concat(n.Stderr))));

    [Fact]
    public async Task Should_complete_a_run_across_a_coordinator_two_producer_nodes_and_two_consumer_nodes()
    {
        using var cluster = new ClusterNodes(output, members: 5);
        var coordinator = cluster.StartCoordinator();
        var producers = new[] { cluster.StartProducers(NodeSettings.Producers(3, 10, "00:00:00.020")), cluster.StartProducers(NodeSettings.Producers(3, 10, "00:00:00.020")) };
        var consumers = new[] { cluster.StartConsumers(NodeSettings.Consumers(3, "0:0:0", "00:00:00.010")), cluster.StartConsumers(NodeSettings.Consumers(3, "0:0:0", "00:00:00.010")) };

        foreach (var node in new[] { coordinator }.Concat(producers).Concat(consumers))
        {
            Assert.True(await ExitOf(node) == 0, Log(node));
        }

        var added = producers.SelectMany(p => p.Items(Templates.Added)).ToList();
        var got = consumers.SelectMany(c => c.Items(Templates.Got)).ToHashSet();
        Assert.Equal(60, added.Count);
        Assert.Subset(got, added.ToHashSet()); // every acknowledged put reached a consumer
        var summary = coordinator.Summary();
        Assert.Equal((60L, 60L, 0L), (summary.Count("Accepted"), summary.Count("Completed"), summary.Count("NotCompleted")));
        Assert.Equal(60L, producers.Sum(p => p.Summary().Count("Produced")));
        Assert.Equal(6, consumers.Sum(c => c.WithTemplate(Templates.Cancelled).Count()));
    }

    [Fact]
    public async Task Should_redeliver_what_a_killed_consumer_node_held_and_lose_nothing()
    {
        using var cluster = new ClusterNodes(output, members: 4);
        var coordinator = cluster.StartCoordinator();
        var producer = cluster.StartProducers(NodeSettings.Producers(2, 20, "00:00:00.010"));
        var doomed = cluster.StartConsumers(NodeSettings.Consumers(2, "00:00:00.200", "00:00:00.300", prefetch: 3));
        var survivor = cluster.StartConsumers(NodeSettings.Consumers(2, "00:00:00.050", "00:00:00.100"));
        await doomed.WaitForOutputAsync(lines => lines.Count(l => l.Contains("got element", StringComparison.Ordinal)) >= 3, RunLimit, Ct);

        doomed.KillNow();

        Assert.True(await ExitOf(coordinator) == 0, Log(coordinator, survivor));
        Assert.Equal(0, await ExitOf(producer));
        Assert.Equal(0, await ExitOf(survivor));
        var summary = coordinator.Summary();
        Assert.Equal((40L, 40L, 0L), (summary.Count("Accepted"), summary.Count("Completed"), summary.Count("NotCompleted")));
        Assert.True(summary.Count("Redelivered") >= 1, "the killed node held items, so some must have been redelivered");
        var completedSomewhere = doomed.Items(Templates.Got).Concat(survivor.Items(Templates.Got)).ToHashSet();
        Assert.Subset(completedSomewhere, producer.Items(Templates.Added).ToHashSet());
    }

    [Fact]
    public async Task Should_finish_the_run_when_a_producer_node_is_killed_processing_every_put_it_had_acknowledged()
    {
        using var cluster = new ClusterNodes(output, members: 4);
        // A killed producer node has Pipeline:Queue:ProducerTimeout to come back; 3 s here instead of 30 so the spec is quick.
        var coordinator = cluster.StartCoordinator(("Pipeline__Queue__ProducerTimeout", "00:00:03"));
        var doomed = cluster.StartProducers(NodeSettings.Producers(2, 200, "00:00:00.100"));
        var steady = cluster.StartProducers(NodeSettings.Producers(2, 10, "00:00:00.010"));
        var consumer = cluster.StartConsumers(NodeSettings.Consumers(3, "0:0:0", "00:00:00.005"));
        await doomed.WaitForOutputAsync(lines => lines.Count(l => l.Contains("added <", StringComparison.Ordinal)) >= 4, RunLimit, Ct);

        doomed.KillNow();

        Assert.True(await ExitOf(coordinator) == 4, Log(coordinator)); // run over, but producers were lost: exit code 4
        Assert.Equal(4, await ExitOf(consumer));
        Assert.Equal(4, await ExitOf(steady));
        var summary = coordinator.Summary();
        Assert.Equal(2L, summary.Count("ProducersLost"));
        Assert.Equal(0L, summary.Count("NotCompleted"));
        Assert.Equal(summary.Count("Accepted"), summary.Count("Completed"));
        Assert.Subset(consumer.Items(Templates.Got).ToHashSet(), doomed.Items(Templates.Added).ToHashSet());
    }

    [Fact]
    public async Task Should_drain_a_consumer_node_on_sigterm_hand_back_its_work_leave_and_exit_3_while_the_run_goes_on()
    {
        using var cluster = new ClusterNodes(output, members: 4);
        var coordinator = cluster.StartCoordinator();
        var producer = cluster.StartProducers(NodeSettings.Producers(2, 20, "00:00:00.010"));
        // Slow work and a fixed window of 4 (PrefetchWork 0: by default slow work holds only the item in hand):
        // each leaving consumer holds 3 items it has not started, for seconds, when the SIGTERM comes.
        var leaving = cluster.StartConsumers(
            [.. NodeSettings.Consumers(2, "00:00:00.800", "00:00:01.000", prefetch: 4), ("Pipeline__Consumers__PrefetchWork", "00:00:00")]);
        var staying = cluster.StartConsumers(NodeSettings.Consumers(2, "00:00:00.020", "00:00:00.050"));
        await leaving.WaitForOutputAsync(lines => lines.Count(l => l.Contains("got element", StringComparison.Ordinal)) >= 2, RunLimit, Ct);

        leaving.Terminate();

        Assert.True(await ExitOf(leaving) == 3, Log(leaving)); // stopped before the run ended: not finished, nothing dropped
        var drained = Assert.Single(leaving.WithTemplate(Templates.Drained));
        var handedBack = drained.Count("HandedBack");
        Assert.True(handedBack >= 1, Log(leaving)); // what it held and had not started went back
        Assert.True(await ExitOf(coordinator) == 0, Log(coordinator));
        Assert.Equal(0, await ExitOf(staying));
        var summary = coordinator.Summary();
        Assert.Equal((40L, 40L, 0L), (summary.Count("Accepted"), summary.Count("Completed"), summary.Count("NotCompleted")));
        Assert.True(summary.Count("Redelivered") >= handedBack, $"{summary.Count("Redelivered")} redelivered, {handedBack} handed back");
        // Every item the leaving node handed back was completed elsewhere: the node got only what it started.
        Assert.Equal(40, leaving.Items(Templates.Got).Concat(staying.Items(Templates.Got)).Distinct().Count());
    }

    [Theory]
    [InlineData("Cluster__Roles", "coordinator,worker", "Cluster:Roles")]
    [InlineData("Cluster__SeedNodes", "tcp://nowhere", "Cluster:SeedNodes")]
    [InlineData("Cluster__SeedNodes", "akka.tcp://other-system@127.0.0.1:4053", "Cluster:SeedNodes")]
    public async Task Should_refuse_to_start_with_a_bad_role_or_seed_address(string variable, string value, string key)
    {
        using var node = HostProcess.Start([], new Dictionary<string, string> { [variable] = value });

        Assert.Equal(1, await node.WaitForExitAsync(RunLimit, Ct));

        var line = Assert.Single(node.Stderr);
        Assert.Contains(key, line, StringComparison.Ordinal);
        Assert.Contains(value.Split(',')[^1], line, StringComparison.Ordinal);
        Assert.DoesNotContain(node.Stdout, l => l.Contains(" at ", StringComparison.Ordinal)); // no stack trace anywhere
    }
}
