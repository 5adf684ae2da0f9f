using ActorPipeline.Hosting.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace ActorPipeline.Hosting.Operations;

/// <summary>The Prometheus scrape endpoint <c>/metrics</c> when <see cref="OperationsOptions.MetricsEnabled"/>.</summary>
internal sealed class MetricsEndpoint(IServiceProvider services, IOptions<OperationsOptions> options) : IEndpointGroup
{
    public const string Path = "/metrics";

    public bool Enabled => options.Value.MetricsEnabled;

    public string Description => $"metrics ({Path})";

    /// <summary>
    /// Scrapes the node's meter provider, named here because the exporter would otherwise look for one in the
    /// server's own container (which has none). It exists only with metrics on (<see cref="OperationsSetup"/>).
    /// </summary>
    public void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapPrometheusScrapingEndpoint(Path, services.GetRequiredService<MeterProvider>(), configureBranchedPipeline: null, optionsName: null);
}
