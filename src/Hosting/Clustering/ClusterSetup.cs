using System.Globalization;
using ActorPipeline.Hosting.Configuration;
using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Hosting;
using Akka.Remote.Hosting;

namespace ActorPipeline.Hosting.Clustering;

/// <summary>Remoting, clustering, split-brain resolution and TLS, from <see cref="NodeOptions"/>.</summary>
internal static class ClusterSetup
{
    /// <summary>
    /// Remoting and clustering from <see cref="NodeOptions"/>, keep-majority split-brain resolution,
    /// and a node without seeds joins itself, so the embedded default is a cluster of one.
    /// </summary>
    public static AkkaConfigurationBuilder AddCluster(
        this AkkaConfigurationBuilder akka, NodeOptions node, NodeIdentity identity, PipelineOptions pipeline, DepartingPeers departing)
    {
        var queue = pipeline.Queue;
        var seeds = node.SeedNodeList.ToArray();
        var remote = new RemoteOptions
        {
            HostName = node.Hostname,
            Port = node.Port,
            PublicHostName = node.EffectivePublicHostname,

            // Every node derives the frame from the same item settings, so what one may send the others accept,
            // and a frame larger than any message this configuration makes is refused by the transport itself.
            MaxFrameSize = queue.LargestMessageBytes,
        };
        if (node.Tls.Enabled)
        {
            remote.EnableSsl = true;
            remote.Ssl = SslFor(node.Tls);
        }

        akka.WithRemoting(remote)
            .WithClustering(new ClusterOptions
            {
                // The name as a role: every member sees which names are taken, and the coordinator whose producers are whose.
                // The producer role only with producers to run: the coordinator waits for every producer member to register some.
                Roles = [.. node.RoleList.Where(r => r != ClusterRoles.Producer || pipeline.Producers.Count > 0), identity.Role],
                SeedNodes = seeds,
                MinimumNumberOfMembers = node.MinimumMembers,
                SplitBrainResolver = new KeepMajorityOption(),
            })
            .WithQueueSerializer()
            .AddHocon(
                string.Create(CultureInfo.InvariantCulture, $"akka.cluster.split-brain-resolver.stable-after = {node.DownUnreachableAfter.TotalMilliseconds}ms"),
                HoconAddMode.Prepend)
            .AddHocon(
                string.Create(CultureInfo.InvariantCulture, $"akka.cluster.failure-detector.acceptable-heartbeat-pause = {node.HeartbeatPause.TotalMilliseconds}ms"),
                HoconAddMode.Prepend)
            // The proxy's "failed to find an associated singleton ... after 30 seconds" fires at start-up and at
            // shutdown, healthy or not (its timer starts with no delay); RunMonitorActor warns when the coordinator is really silent.
            .AddHocon("akka.cluster.singleton-proxy.log-singleton-identification-failure = off", HoconAddMode.Prepend)
            // The proxy asks where the singleton is once a second until it finds it. It first asks a few ms before the
            // singleton has started, so every start waited most of a second with the producers' first messages buffered.
            .AddHocon("akka.cluster.singleton-proxy.singleton-identification-interval = 100ms", HoconAddMode.Prepend)
            // Leaving is paced by two 1 s ticks, the leader's (which moves a leaving member on) and the
            // singleton manager's hand-over retry (on which the last node stops the coordinator): every
            // run's exit waited about 2 s on them, and still 0.3 s at 200 ms (a one-item run's exit: 0.31 s at 200 ms,
            // 0.20 s at 50 ms, docs/benchmarks.md "Small jobs"). Shorter ticks only repeat small, idempotent messages.
            .AddHocon("akka.cluster.leader-actions-interval = 50ms", HoconAddMode.Prepend)
            .AddHocon("akka.cluster.singleton.hand-over-retry-interval = 50ms", HoconAddMode.Prepend)
            // The cluster's ticks (the leader's among them) first fire this long after the node starts, 1 s by default:
            // a small job that was over sooner waited out the rest of that second in Leaving before its leader moved it on.
            .AddHocon("akka.cluster.periodic-tasks-initial-delay = 50ms", HoconAddMode.Prepend);
        akka.AddStartup((system, _) => system.ActorOf(DepartingPeersListener.Props(departing), "departing-peers"));
        if (seeds.Length == 0)
        {
            akka.AddStartup((system, _) =>
            {
                var cluster = Akka.Cluster.Cluster.Get(system);
                cluster.Join(cluster.SelfAddress);
            });
        }

        return akka;
    }

    /// <summary>
    /// Mutual TLS: this node's certificate on both ends of every link, and the peer's checked by
    /// <see cref="TrustedPeerValidator"/>. The certificate is handed over as an object, so neither the
    /// password nor the path ever enters Akka's configuration (which it may log).
    /// </summary>
    private static SslOptions SslFor(TlsOptions tls)
    {
        var (certificate, trusted) = tls.Load();
        return new SslOptions
        {
            X509Certificate = certificate,
            SuppressValidation = false,
            RequireMutualAuthentication = true,
            ValidateCertificateHostname = tls.ValidateHostname,
            CustomValidator = new TrustedPeerValidator(trusted, tls.ValidateHostname).Validate,
        };
    }

}
