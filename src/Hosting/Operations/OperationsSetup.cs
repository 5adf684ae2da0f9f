using ActorPipeline.Hosting.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace ActorPipeline.Hosting.Operations;

/// <summary>The operator's view of a node: metrics and health.</summary>
internal static class OperationsSetup
{
    /// <summary>
    /// The health checks and their endpoints, and metrics (meter ActorPipeline, scraped by Prometheus) with theirs;
    /// each endpoint group is served by the node's HTTP server when its setting is on.
    /// </summary>
    public static void AddOperations(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHealthChecks()
            .AddCheck<ActorSystemHealthCheck>("actor-system", tags: [HealthEndpoints.LiveTag])
            .AddCheck<ClusterMemberHealthCheck>("cluster-member", tags: [HealthEndpoints.ReadyTag])
            .AddCheck<CoordinatorHealthCheck>("coordinator", tags: [HealthEndpoints.ReadyTag]);
        services.AddSingleton<IEndpointGroup, HealthEndpoints>();
        services.AddSingleton<IEndpointGroup, MetricsEndpoint>();

        // Decided here, from the raw setting, because the meter provider is registered now or never. Only with metrics
        // on: a provider would aggregate every measurement on the hot path whether or not anyone scrapes. A value that
        // is no boolean counts as off here, and start-up validation then stops the node naming it.
        if (bool.TryParse(configuration[$"{OperationsOptions.SectionName}:{nameof(OperationsOptions.MetricsEnabled)}"], out var metrics) && metrics)
        {
            services.AddOpenTelemetry().WithMetrics(meters => meters
                .AddMeter(PipelineMetrics.MeterName)
                .AddPrometheusExporter());
        }
    }
}
