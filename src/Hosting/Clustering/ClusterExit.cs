using ActorPipeline.Coordinator;
using Akka;
using Akka.Actor;
using Akka.Cluster;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorPipeline.Hosting.Clustering;

/// <summary>
/// Notices when the cluster, not this process, ends this node: downed by the split-brain resolver or an
/// operator, made to leave from elsewhere, or its actor system stopped under it (as after a TLS refusal).
/// It completes <see cref="Ended"/> at once, on which the runner ends with exit 1 instead of draining against
/// a stopped actor system, and <see cref="Report"/> logs one line naming the cause and what becomes of the items.
/// A stop this process asked for (the run over, SIGTERM) is not such an end.
/// </summary>
internal sealed class ClusterExit(IHostApplicationLifetime lifetime, IOptions<NodeOptions> node, IOptions<PipelineOptions> pipeline, ILogger<ClusterExit> log)
{
    private readonly TaskCompletionSource<ClusterExitCause> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _member;

    /// <summary>Completes, with the cause, as soon as the cluster has ended this node.</summary>
    public Task<ClusterExitCause> Ended => _ended.Task;

    /// <summary>
    /// Logs the cause as one line, if the cluster ended this node. Called by <see cref="CompletionReporter"/>
    /// as the host's last act, so that it is the last word the operator reads, after Akka's own shutdown lines.
    /// </summary>
    public void Report()
    {
        if (_ended.Task.IsCompletedSuccessfully)
        {
            HostLog.EndedByCluster(log, _ended.Task.Result.Cause, _ended.Task.Result.Items);
        }
    }

    /// <summary>Listens on <paramref name="system"/>: called as the actor system starts, before anything can end it.</summary>
    public void Listen(ActorSystem system)
    {
        var shutdown = CoordinatedShutdown.Get(system);

        // The first phase runs as soon as anything starts the shutdown, with its reason set and the host not yet told.
        shutdown.AddTask(CoordinatedShutdown.PhaseBeforeServiceUnbind, "cluster-exit", () =>
        {
            Notice(shutdown.ShutdownReason);
            return Task.FromResult(Done.Instance);
        });
        system.WhenTerminated.ContinueWith(_ => Notice(shutdown.ShutdownReason), TaskScheduler.Default);
        Cluster.Get(system).RegisterOnMemberUp(() => _member = true);
    }

    private void Notice(CoordinatedShutdown.Reason? reason)
    {
        // A stop this process asked for reaches Akka only through the host, which is then already stopping.
        if (_ended.Task.IsCompleted || (lifetime.ApplicationStopping.IsCancellationRequested && reason is not (CoordinatedShutdown.ClusterDowningReason or CoordinatedShutdown.ClusterLeavingReason)))
        {
            return;
        }

        var cause = reason switch
        {
            CoordinatedShutdown.ClusterDowningReason => $"Downed by the cluster (unreachable from the others for longer than {NodeOptions.SectionName}:{nameof(NodeOptions.DownUnreachableAfter)}, or downed by an operator)",
            CoordinatedShutdown.ClusterJoinUnsuccessfulReason => $"Could not join the cluster through its seeds {node.Value.SeedNodes}",
            CoordinatedShutdown.ClusterLeavingReason => "Removed from the cluster (another member made this node leave)",
            // Akka.Remote's own reason for this is internal, so it is known by its name.
            { } tls when tls.GetType().Name == "TlsHandshakeFailureReason" =>
                $"Refused over TLS: the handshake with a peer failed ({tls}; the warning above names the certificate), so this node and the cluster do not share a CA ({NodeOptions.SectionName}:Tls)",
            _ => $"The actor system stopped under the run ({reason?.ToString() ?? "no reason given"}; the warnings above say why)",
        };
        _ended.TrySetResult(new ClusterExitCause(cause, WhatBecomesOfItsItems()));
    }

    private string WhatBecomesOfItsItems()
    {
        if (!_member)
        {
            return "it held no items";
        }

        var options = node.Value;
        var parts = new List<string>();
        if (options.Has(ClusterRoles.Consumer))
        {
            parts.Add("the items its consumers held are redelivered by the coordinator");
        }

        if (options.Has(ClusterRoles.Producer) && pipeline.Value.Producers.Count > 0)
        {
            parts.Add("its producers' items not yet accepted were never put, and it resumes them when started again under its name");
        }

        if (options.Has(ClusterRoles.Coordinator))
        {
            parts.Add("the coordinator moves to another coordinator node if there is one and recovers the queue from the journal");
        }

        return string.Join("; ", parts);
    }
}
