using ActorPipeline.Tests.Host;

namespace ActorPipeline.ClusterTests;

/// <summary>Nodes by name: a producer node killed and started again resumes its producers; a second node under a taken name is refused.</summary>
public sealed class NodeIdentityClusterSpecs(ITestOutputHelper output)
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(55);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Should_let_a_killed_producer_node_that_comes_back_resume_and_leave_no_acknowledged_item_behind()
    {
        using var cluster = new ClusterNodes(output, members: 3);
        var coordinator = cluster.StartCoordinator();
        var doomed = cluster.StartOnOwnPort("producer", NodeSettings.Producers(3, 40, "00:00:00.050"));
        var consumer = cluster.StartConsumers(NodeSettings.Consumers(3, "0:0:0", "00:00:00.005"));
        await doomed.WaitForOutputAsync(lines => lines.Count(l => l.Contains("added <", StringComparison.Ordinal)) >= 20, RunLimit, Ct);
        var addedBefore = doomed.Items(Templates.Added).ToHashSet();

        doomed.KillNow();
        await doomed.WaitForExitAsync(RunLimit, Ct);
        await Task.Delay(TimeSpan.FromSeconds(1), Ct); // the scenario: started again on the same port a second later
        var back = cluster.Restart(doomed);

        Assert.True(await ExitOf(coordinator) == 0, coordinator.Lines("Refused put") + " refused puts");
        Assert.Equal(0, await ExitOf(back));
        Assert.Equal(0, await ExitOf(consumer));
        var summary = coordinator.Summary();
        Assert.Equal((120L, 120L, 0L), (summary.Count("Accepted"), summary.Count("Completed"), summary.Count("ProducersLost")));
        Assert.Equal(3, back.Lines("resumes after its put"));
        var got = consumer.Items(Templates.Got).ToHashSet();
        Assert.Subset(got, addedBefore.Concat(back.Items(Templates.Added)).ToHashSet()); // everything logged as added was got
    }

    [Fact]
    public async Task Should_refuse_a_second_live_node_under_a_name_already_in_the_cluster()
    {
        using var cluster = new ClusterNodes(output, members: 1);
        var first = cluster.StartCoordinator(("Cluster__NodeName", "twin"));
        await first.WaitForOutputAsync(lines => lines.Any(l => l.Contains("This node is {NodeName}", StringComparison.Ordinal)), RunLimit, Ct);

        var second = cluster.StartConsumers(("Cluster__NodeName", "twin"));

        Assert.Equal(1, await ExitOf(second));
        Assert.Equal(1, second.Lines("The node name {NodeName} is already taken by the live member"));
        Assert.False(first.HasExited); // the node that had the name keeps it
    }

    [Fact]
    public async Task Should_run_two_unnamed_consumer_nodes_from_one_folder_each_under_a_fresh_name()
    {
        // Before, both read and wrote the node id kept in the folder, so the second took the first's name and was refused.
        using var cluster = new ClusterNodes(output, members: 4);
        var coordinator = cluster.StartCoordinator();
        var producer = cluster.StartProducers(NodeSettings.Producers(2, 10, "00:00:00.020"));
        var unnamed = ("Cluster__NodeName", ""); // the default rule, on a free port (Cluster:Port=0) like the embedded node
        var first = cluster.StartConsumers([.. NodeSettings.Consumers(2, "0:0:0", "00:00:00.010"), unnamed]);
        var second = cluster.StartConsumers([.. NodeSettings.Consumers(2, "0:0:0", "00:00:00.010"), unnamed]);

        Assert.Equal(0, await ExitOf(coordinator));
        Assert.Equal(0, await ExitOf(producer));
        Assert.Equal(0, await ExitOf(first));
        Assert.Equal(0, await ExitOf(second));
        Assert.Equal((20L, 20L), (coordinator.Summary().Count("Accepted"), coordinator.Summary().Count("Completed")));
        var names = new[] { first, second }.Select(n => Assert.Single(n.WithTemplate(Templates.NodeAddress)).GetProperty("NodeName").GetString()).ToList();
        Assert.All(names, name => Assert.StartsWith("node-", name, StringComparison.Ordinal));
        Assert.NotEqual(names[0], names[1]);
        Assert.False(File.Exists(Path.Combine(cluster.Folder, "actor-pipeline.node"))); // nothing kept: they have nothing to resume
    }

    private static Task<int> ExitOf(HostProcess node) => node.WaitForExitAsync(RunLimit, Ct);
}
