using ActorPipeline.Tests.Host;

namespace ActorPipeline.ClusterTests;

/// <summary>
/// Scaling with no arithmetic, as <c>docker compose up --scale</c> does it: no producer total and no
/// member count anywhere (each node's <c>Cluster:MinimumMembers</c> is the default 1), and a producer
/// node that starts after the others have finished, inside the containers' join window, is still part
/// of the run. And a healthy run across processes logs no warning or error on any node.
/// </summary>
public sealed class ScalingSpecs(ITestOutputHelper output)
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Should_run_every_producer_node_that_joins_with_no_total_set()
    {
        using var cluster = new ClusterNodes(output, members: 1);

        // The rule under test is "a node that joins within the window is part of the run"; the window is
        // set wider than the 10 s default so that a slow start on a loaded 2-core machine still falls inside it.
        var coordinator = cluster.StartCoordinator(("Pipeline__Queue__ProducerJoinWindow", "00:00:40"));
        var consumers = cluster.StartConsumers(NodeSettings.Consumers(3, "0:0:0", "00:00:00.010"));
        List<HostProcess> producers = [cluster.StartProducers(NodeSettings.Producers(2, 5, "00:00:00.010"))];
        producers.Add(cluster.StartProducers(NodeSettings.Producers(3, 5, "00:00:00.010")));

        // The first producer nodes are done before the last one even starts: only the join window keeps the run open for it.
        await producers[0].WaitForOutputAsync(lines => lines.Any(l => l.Contains(Templates.ProducersFinished, StringComparison.Ordinal)), RunLimit, Ct);
        producers.Add(cluster.StartProducers(NodeSettings.Producers(1, 5, "00:00:00.010")));

        foreach (var node in producers.Append(consumers).Append(coordinator))
        {
            Assert.Equal(0, await node.WaitForExitAsync(RunLimit, Ct));
        }

        var added = producers.SelectMany(p => p.Items(Templates.Added)).ToList();
        Assert.Equal((2 + 3 + 1) * 5, added.Count);
        Assert.Equal([10, 15, 5], producers.Select(p => p.Items(Templates.Added).Count));
        var summary = coordinator.Summary();
        Assert.Equal((30L, 30L, 0L), (summary.Count("Accepted"), summary.Count("Completed"), summary.Count("NotCompleted")));
        Assert.Subset(consumers.Items(Templates.Got).ToHashSet(), added.ToHashSet());
    }

    [Fact]
    public async Task Should_log_no_warning_or_error_on_any_node_of_a_healthy_cluster_run_and_nothing_after_its_last_line()
    {
        using var cluster = new ClusterNodes(output, members: 1);

        // The others start once the seed is up, as compose starts them (after its healthcheck) and as README's terminals do.
        var seed = cluster.StartCoordinator();
        await seed.WaitForOutputAsync(lines => lines.Any(l => l.Contains("Application started", StringComparison.Ordinal)), RunLimit, Ct);
        var nodes = new[]
        {
            seed,
            cluster.StartOnOwnPort("coordinator"), // a standby, as compose runs one
            cluster.StartProducers(NodeSettings.Producers(2, 10, "00:00:00.020")),
            cluster.StartConsumers(NodeSettings.Consumers(3, "0:0:0", "00:00:00.010")),
        };

        foreach (var node in nodes)
        {
            Assert.Equal(0, await node.WaitForExitAsync(RunLimit, Ct));
        }

        foreach (var node in nodes)
        {
            var events = node.JsonEvents;
            var loud = events.Where(e => e.TryGetProperty("@l", out var level) && level.GetString() is "Warning" or "Error" or "Fatal").Select(e => e.GetRawText()).ToList();
            Assert.Empty(loud);
            Assert.Equal(Templates.Completed, events[^1].GetProperty("@mt").GetString()); // the seed's closing line is each node's last
        }
    }
}
