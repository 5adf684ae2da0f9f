using System.Net.Sockets;
using Akka.Actor;
using ActorPipeline.Hosting.Logging;
using Microsoft.Extensions.Logging;

namespace ActorPipeline.Hosting.Clustering;

/// <summary>
/// A node whose first seed is another node joins once that seed listens, instead of dialling it at once.
/// Akka answers a refused link by gating the address for 5 s and retries a join only after its seed-node
/// timeout, so nodes started together spent 5–10 s joining and warned "Connection refused" on the way.
/// The wait is a plain TCP connect, closed at once, which a plain-TCP seed only notes at Debug; a TLS seed
/// would log a failed handshake for it, so over TLS nodes keep Akka's own joining (compose starts them after
/// the seed is healthy). With other seeds listed, a first seed that does not listen within
/// <see cref="Patience"/> (it is down and another seed holds the cluster) is not waited for any longer.
/// </summary>
internal static class SeedWait
{
    /// <summary>How long a node with other seeds waits for its first seed before joining through Akka's own retries.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Whether <paramref name="seeds"/> are joined through this wait: plain TCP, and the first seed is not this node.</summary>
    public static bool Applies(NodeOptions node, IReadOnlyList<string> seeds) =>
        !node.Tls.Enabled && seeds.Count > 0 && !IsSelf(node, Address.Parse(seeds[0]));

    /// <summary>Waits until the first seed accepts a connection (or, with other seeds, <see cref="Patience"/>), then joins the seeds.</summary>
    public static async Task JoinWhenListeningAsync(ActorSystem system, IReadOnlyList<string> seeds, ILogger log)
    {
        var addresses = seeds.Select(Address.Parse).ToList();
        var first = addresses[0];
        var started = Environment.TickCount64;
        var said = false;
        while (!system.WhenTerminated.IsCompleted && !await ListensAsync(first.Host!, first.Port!.Value).ConfigureAwait(false))
        {
            var waited = TimeSpan.FromMilliseconds(Environment.TickCount64 - started);
            if (addresses.Count > 1 && waited >= Patience)
            {
                break;
            }

            if (!said && waited >= TimeSpan.FromSeconds(1))
            {
                HostLog.WaitingForSeed(log, first.ToString());
                said = true;
            }

            await Task.Delay(Poll).ConfigureAwait(false);
        }

        if (!system.WhenTerminated.IsCompleted)
        {
            Akka.Cluster.Cluster.Get(system).JoinSeedNodes(addresses);
        }
    }

    private static bool IsSelf(NodeOptions node, Address seed) =>
        node.Port != 0 && seed.Port == node.Port
        && string.Equals(seed.Host, node.EffectivePublicHostname, StringComparison.OrdinalIgnoreCase);

    private static async Task<bool> ListensAsync(string host, int port)
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(ConnectTimeout);
        try
        {
            await client.ConnectAsync(host, port, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false; // not listening yet, or its name does not resolve yet
        }
    }
}
