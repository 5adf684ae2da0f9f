using Akka.Actor;
using Akka.Cluster;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ActorPipeline.Hosting.Operations;

/// <summary>Readiness: this node is an Up member of the cluster (not still joining, nor leaving).</summary>
internal sealed class ClusterMemberHealthCheck(ActorSystem system) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = Cluster.Get(system).SelfMember.Status;
        return Task.FromResult(status == MemberStatus.Up
            ? HealthCheckResult.Healthy("cluster member Up")
            : HealthCheckResult.Unhealthy($"cluster member {status}"));
    }
}
