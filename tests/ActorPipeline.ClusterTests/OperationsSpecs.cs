using System.Net;
using ActorPipeline.Tests.Host;

namespace ActorPipeline.ClusterTests;

/// <summary>The health endpoints as compose and orchestrators probe them, across a node's life.</summary>
public sealed class OperationsSpecs(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(45);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Should_report_ready_only_while_the_node_is_up_and_the_coordinator_answers()
    {
        using var cluster = new ClusterNodes(output, members: 2);
        var coordinatorHealth = HostProcess.FreePort();
        var consumerHealth = HostProcess.FreePort();

        // One expected producer that never comes: the run stays open while the spec looks.
        var coordinator = cluster.StartCoordinator(("Operations__HealthEnabled", "true"), ("Operations__HttpPort", $"{coordinatorHealth}"));
        await WaitForAsync(coordinatorHealth, "live", HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await ProbeAsync(coordinatorHealth, "ready")); // alone, it is not Up yet

        var consumer = cluster.StartConsumers(("Operations__HealthEnabled", "true"), ("Operations__HttpPort", $"{consumerHealth}"));
        await WaitForAsync(coordinatorHealth, "ready", HttpStatusCode.OK);
        await WaitForAsync(consumerHealth, "ready", HttpStatusCode.OK);

        coordinator.KillNow();

        await WaitForAsync(consumerHealth, "ready", HttpStatusCode.ServiceUnavailable);
        Assert.Equal(HttpStatusCode.OK, await ProbeAsync(consumerHealth, "live")); // the node itself is still alive
        Assert.False(consumer.HasExited);
    }

    private static async Task WaitForAsync(int port, string probe, HttpStatusCode expected)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(Limit);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        HttpStatusCode? last = null;
        while ((last = await ProbeAsync(port, probe)) != expected)
        {
            Assert.True(await poll.WaitForNextTickAsync(limit.Token), $"/health/{probe} stayed {last}");
        }
    }

    private static async Task<HttpStatusCode?> ProbeAsync(int port, string probe)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            return (await http.GetAsync(new Uri($"http://127.0.0.1:{port}/health/{probe}"), Ct)).StatusCode;
        }
        catch (HttpRequestException)
        {
            return null; // not listening yet
        }
        catch (TaskCanceledException) when (!Ct.IsCancellationRequested)
        {
            return null;
        }
    }
}
