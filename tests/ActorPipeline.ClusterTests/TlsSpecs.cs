using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text.Json;
using System.Text.RegularExpressions;
using ActorPipeline.Tests.Host;

namespace ActorPipeline.ClusterTests;

/// <summary>
/// A cluster whose node links use mutual TLS with certificates from one CA: its run completes, while a
/// node speaking plain TCP and a node with a self-signed certificate knock at the seed for the whole run,
/// are turned away with a logged reason, never become members and never see an item; and a TLS client
/// with no certificate at all is disconnected before it can say anything.
/// </summary>
public sealed class TlsSpecs(ITestOutputHelper output)
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Should_complete_a_run_over_mutual_tls_while_nodes_without_a_trusted_certificate_cannot_join()
    {
        using var certificates = TestCertificates.Create();

        // Three members: the run cannot start until a consumer node joins, so an intruder that got in would start it and take items.
        using var cluster = new ClusterNodes(output, members: 3, certificates);
        // Akka's own Info lines: the coordinator's node (the leader) logs each node that is JOINING, and a node let in logs "Welcome from".
        var akkaInfo = ("Serilog__MinimumLevel__Override__Akka", "Information");
        var coordinator = cluster.StartCoordinator(akkaInfo);
        var producer = cluster.StartProducers(NodeSettings.Producers(2, 10, "00:00:00.020"));
        (string, string)[] consumerSettings = [.. NodeSettings.Consumers(2, "0:0:0", "00:00:00.010"), akkaInfo];
        // They keep knocking for the whole spec (a join timeout longer than it), so "never welcomed" is checked to the end.
        var persistent = ("Cluster__JoinTimeout", "00:10:00");
        // On ports of their own, so that the coordinator's log can be searched for them.
        var plain = cluster.StartOnOwnPort(
            "consumer",
            [.. consumerSettings, persistent, ("Cluster__Tls__Enabled", "false"), ("Cluster__SeedNodes", $"akka.tcp://actor-pipeline@127.0.0.1:{cluster.SeedPort}")]);
        var rogue = cluster.StartOnOwnPort("consumer", [.. consumerSettings, .. certificates.RogueSettings, persistent, ("Cluster__Tls__CertificatePasswordFile", "")]);
        bool Joining(HostProcess node) =>
            coordinator.Stdout.Any(l => l.Contains("is JOINING", StringComparison.Ordinal)
                && Regex.IsMatch(l, $@"127\.0\.0\.1:{cluster.PortOf(node)}(?![0-9])"));

        // Both have knocked and been turned away, each with its reason in the coordinator node's log.
        await coordinator.WaitForOutputAsync(
            lines => lines.Count(l => l.Contains("Rejected incoming connection", StringComparison.Ordinal)) >= 2
                && lines.Any(l => l.Contains("Refused TLS peer", StringComparison.Ordinal) && l.Contains("does not chain to a CA this cluster trusts", StringComparison.Ordinal)),
            RunLimit,
            Ct);
        // Turned away, not let in: the leader never saw either of them joining.
        Assert.False(Joining(plain), "the plain TCP node was joining");
        Assert.False(Joining(rogue), "the self-signed node was joining");

        // Akka's transport refuses a missing client certificate itself ("rejected by the provided RemoteCertificateValidationCallback").
        var knock = await KnockWithoutCertificateAsync(cluster.SeedPort);
        output.WriteLine($"TLS client without a certificate: {knock}");
        Assert.NotEqual("answered", knock);

        var consumer = cluster.StartOnOwnPort("consumer", consumerSettings);

        Assert.Equal(0, await coordinator.WaitForExitAsync(RunLimit, Ct));
        Assert.Equal(0, await producer.WaitForExitAsync(RunLimit, Ct));
        Assert.Equal(0, await consumer.WaitForExitAsync(RunLimit, Ct));
        var summary = coordinator.Summary();
        Assert.Equal((20L, 20L, 0L), (summary.Count("Accepted"), summary.Count("Completed"), summary.Count("NotCompleted")));
        Assert.Equal(producer.Items(Templates.Added).ToHashSet(), consumer.Items(Templates.Got).ToHashSet());

        // The intruders were never welcomed and never given an item: still trying when the run ended, or given up
        // without a run (a refused node's actor system may stop on its own; it never exits 0, which would mean it ran).
        // The same checks see the node that was let in: the leader logged it joining, and it was welcomed.
        Assert.True(Joining(consumer), "the consumer node's JOINING line is not in the coordinator's log");
        Assert.True(consumer.Lines("Welcome from") >= 1, "the consumer node logged no welcome");
        foreach (var intruder in new[] { plain, rogue })
        {
            Assert.True(!intruder.HasExited || intruder.ExitCode != 0, "an intruder exited 0, as if it had run");
            Assert.False(Joining(intruder), $"the leader saw the intruder on port {cluster.PortOf(intruder)} joining");
            Assert.Equal(0, intruder.Lines("Welcome from"));
            Assert.Empty(intruder.Items(Templates.Got));
            intruder.KillNow();
        }

        // The passwords went in through a file and an environment variable; no node printed either.
        foreach (var node in new[] { coordinator, producer, consumer, plain, rogue })
        {
            var output = string.Join('\n', node.Stdout.Concat(node.Stderr));
            Assert.DoesNotContain(certificates.NodePassword, output, StringComparison.Ordinal);
            Assert.DoesNotContain(certificates.RoguePassword, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Should_end_a_node_whose_certificate_is_from_another_ca_at_once_with_one_line_and_exit_1()
    {
        using var certificates = TestCertificates.Create();
        using var otherCa = TestCertificates.Create(); // a CA of its own: it refuses the seed's certificate, and the seed its
        using var cluster = new ClusterNodes(output, members: 2, certificates);
        var coordinator = cluster.StartCoordinator();

        var stranger = cluster.StartConsumers([.. otherCa.NodeSettings, ("Cluster__JoinTimeout", "00:10:00")]);

        // Ends on the refusal itself, long before the join timeout.
        Assert.Equal(1, await stranger.WaitForExitAsync(RunLimit, Ct));
        var last = stranger.Stdout.Select(l => JsonDocument.Parse(l).RootElement).Last();
        Assert.Equal(("Fatal", Templates.EndedByCluster), (last.GetProperty("@l").GetString(), last.GetProperty("@mt").GetString()));
        Assert.StartsWith("Refused over TLS", last.GetProperty("Cause").GetString(), StringComparison.Ordinal);
        Assert.Equal("it held no items", last.GetProperty("Items").GetString());
        Assert.Equal(0, stranger.Lines("The run failed"));
        Assert.Equal(0, stranger.Lines("TaskCanceledException"));
        Assert.Equal(0, stranger.Lines("Stop requested"));
        Assert.False(coordinator.HasExited);
    }

    /// <summary>
    /// A TLS client that trusts any server and shows no certificate of its own. With TLS 1.3 the server's
    /// verdict on the client comes after the client's handshake completes, so the outcome is read from the
    /// link: refused in the handshake, or closed at the first read. A server that let it in would wait for
    /// it to speak, and the read would time out instead.
    /// </summary>
    private static async Task<string> KnockWithoutCertificateAsync(int port)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port, Ct);
        using var tls = new SslStream(tcp.GetStream());
        try
        {
#pragma warning disable CA5359 // the intruder's own client: it does not care which server it reached
            await tls.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions { TargetHost = "localhost", RemoteCertificateValidationCallback = (_, _, _, _) => true }, Ct);
#pragma warning restore CA5359
            var read = await tls.ReadAsync(new byte[1], Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), Ct);
            return read == 0 ? "closed" : "answered";
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            return $"refused: {e.GetType().Name}";
        }
    }
}
