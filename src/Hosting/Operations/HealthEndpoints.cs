using System.Text.Json;
using ActorPipeline.Hosting.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ActorPipeline.Hosting.Operations;

/// <summary>
/// <c>/health/live</c> and <c>/health/ready</c> when <see cref="OperationsOptions.HealthEnabled"/>: 200 when every
/// check with that tag is healthy, 503 otherwise, with the checks as JSON
/// (<c>{"status": "Healthy", "checks": {"coordinator": {"status": ..., "description": ...}}}</c>).
/// </summary>
internal sealed class HealthEndpoints(HealthCheckService health, IOptions<OperationsOptions> options) : IEndpointGroup
{
    public const string LiveTag = "live";
    public const string ReadyTag = "ready";

    public bool Enabled => options.Value.HealthEnabled;

    public string Description => "health (/health/live, /health/ready)";

    /// <summary>The checks are the node's (they ask its actor system); the server's container gets the node's service.</summary>
    public void AddServices(IServiceCollection services) => services.AddSingleton(health);

    public void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", Probe(LiveTag));
        endpoints.MapHealthChecks("/health/ready", Probe(ReadyTag));
    }

    private static HealthCheckOptions Probe(string tag) => new()
    {
        Predicate = check => check.Tags.Contains(tag),

        // Degraded is no state any check here reports, and a probe that half-passes would be read as passing.
        ResultStatusCodes =
        {
            [HealthStatus.Healthy] = StatusCodes.Status200OK,
            [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
            [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
        },
        ResponseWriter = WriteAsync,
    };

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        });
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }
}
