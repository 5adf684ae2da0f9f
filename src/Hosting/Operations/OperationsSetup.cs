using ActorPipeline.Hosting.Operations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace ActorPipeline.Hosting.Operations;

/// <summary>The operator's view of a node: metrics and health.</summary>
internal static class OperationsSetup
{
    /// <summary>Metrics (meter ActorPipeline, Prometheus when a port is set) and the health checks behind the health endpoint.</summary>
    public static void AddOperations(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHealthChecks()
            .AddCheck<ActorSystemHealthCheck>("actor-system", tags: [HealthEndpoint.LiveTag])
            .AddCheck<ClusterMemberHealthCheck>("cluster-member", tags: [HealthEndpoint.ReadyTag])
            .AddCheck<CoordinatorHealthCheck>("coordinator", tags: [HealthEndpoint.ReadyTag]);
        services.AddHostedService<HealthEndpoint>();

        var metricsPort = configuration.GetValue<int>($"{OperationsOptions.SectionName}:{nameof(OperationsOptions.MetricsPort)}");
        if (metricsPort > 0)
        {
            services.AddOpenTelemetry().WithMetrics(metrics => metrics
                .AddMeter(PipelineMetrics.MeterName)
                .AddPrometheusHttpListener(exporter =>
                {
                    exporter.Port = metricsPort;

                    // Every interface, since it is scraped from other containers; the option itself takes one host name.
                    exporter.ConfigureHttpListener = (_, listener) =>
                    {
                        listener.Prefixes.Clear();
                        listener.Prefixes.Add($"http://*:{metricsPort}/metrics/");
                    };
                }));
        }
    }

}
