using Akka.Actor;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ActorPipeline.Hosting.Operations;

/// <summary>Liveness: the actor system runs (it stops for good only when the node shuts down).</summary>
internal sealed class ActorSystemHealthCheck(ActorSystem system) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(system.WhenTerminated.IsCompleted
            ? HealthCheckResult.Unhealthy("the actor system has terminated")
            : HealthCheckResult.Healthy("the actor system runs"));
}
