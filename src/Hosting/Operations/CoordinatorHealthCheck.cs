using ActorPipeline.Coordinator;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Hosting.Operations;

/// <summary>Readiness: the coordinator (wherever the singleton runs) answers a status query in time.</summary>
internal sealed class CoordinatorHealthCheck(IRequiredActor<CoordinatorKey> coordinator, CoordinatorFailure failure, TimeProvider time) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (failure.JournalOutage is { } outage)
        {
            // Said at once, rather than as an unanswered query: what is wrong, and that nothing is lost.
            var seconds = Math.Round((time.GetUtcNow() - outage.Since).TotalSeconds);
            return HealthCheckResult.Unhealthy(
                $"the coordinator's journal has been failing for {seconds} s ({outage.Reason}); the coordinator restarts in {outage.RetryIn.TotalSeconds:0.#} s, nothing acknowledged is lost");
        }

        try
        {
            var proxy = await coordinator.GetAsync(cancellationToken);
            var status = await proxy.Ask<QueueStatus>(GetStatus.Instance, Timeout, cancellationToken);
            return HealthCheckResult.Healthy($"coordinator answers: {status.Accepted} accepted, {status.Unfinished} unfinished, {status.Completed} completed");
        }
        catch (Exception e) when (e is AskTimeoutException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"the coordinator did not answer within {Timeout.TotalSeconds} s");
        }
    }
}
