using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ActorPipeline.Tests.Host;

namespace ActorPipeline.ClusterTests;

/// <summary>
/// A node the cluster downs (the split-brain resolver, after it was unreachable for longer than
/// Cluster:DownUnreachableAfter) ends at once with one line saying so and what becomes of its items, and
/// exits 1; the run goes on without it and completes every item, its own redelivered.
/// </summary>
public sealed class DowningSpecs(ITestOutputHelper output)
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Should_end_a_downed_node_at_once_with_one_line_and_exit_1_while_the_run_completes_without_it()
    {
        using var cluster = new ClusterNodes(output, members: 4);
        var coordinator = cluster.StartCoordinator();
        var producer = cluster.StartProducers(NodeSettings.Producers(2, 200, "00:00:00.020"));
        var doomed = cluster.StartConsumers(NodeSettings.Consumers(2, "0:0:0", "00:00:00.020"));
        var survivor = cluster.StartConsumers(NodeSettings.Consumers(2, "0:0:0", "00:00:00.020"));
        await doomed.WaitForOutputAsync(lines => lines.Any(l => l.Contains("got element", StringComparison.Ordinal)), RunLimit, Ct);
        var address = Assert.Single(doomed.WithTemplate(Templates.NodeAddress)).GetProperty("Address").GetString()!;

        // Frozen, it answers no heartbeat: to the others it is cut off, and their leader downs it.
        Signal("STOP", doomed);
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            limit.CancelAfter(RunLimit);
            using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
            while (!new[] { coordinator, producer, survivor }.Any(n => n.Stdout.Any(l => l.Contains("is downing", StringComparison.Ordinal) && l.Contains(address, StringComparison.Ordinal))))
            {
                await poll.WaitForNextTickAsync(limit.Token);
            }
        }
        finally
        {
            Signal("CONT", doomed);
        }

        // Well inside the 15 s drain ClusterNodes sets: no drain is waited out against the stopped actor system.
        Assert.Equal(1, await doomed.WaitForExitAsync(TimeSpan.FromSeconds(12), Ct));
        var last = doomed.Stdout.Select(l => JsonDocument.Parse(l).RootElement).Last();
        Assert.Equal(("Fatal", Templates.EndedByCluster), (last.GetProperty("@l").GetString(), last.GetProperty("@mt").GetString()));
        Assert.StartsWith("Downed by the cluster", last.GetProperty("Cause").GetString(), StringComparison.Ordinal);
        Assert.Contains("redelivered by the coordinator", last.GetProperty("Items").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, doomed.Lines("Stop requested"));
        Assert.Equal(0, doomed.Lines("The run failed"));

        // What it held was redelivered: the others finish the run with every accepted item completed.
        Assert.Equal(0, await coordinator.WaitForExitAsync(RunLimit, Ct));
        Assert.Equal(0, await producer.WaitForExitAsync(RunLimit, Ct));
        Assert.Equal(0, await survivor.WaitForExitAsync(RunLimit, Ct));
        var summary = coordinator.Summary();
        Assert.Equal((400L, 400L), (summary.Count("Accepted"), summary.Count("Completed")));
    }

    private static void Signal(string signal, HostProcess node)
    {
        using var kill = Process.Start("kill", [$"-{signal}", node.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }
}
