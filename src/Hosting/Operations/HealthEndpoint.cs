using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorPipeline.Hosting.Operations;

/// <summary>
/// Serves <c>/health/live</c> and <c>/health/ready</c> on <see cref="OperationsOptions.HealthPort"/>:
/// 200 when every check with that tag is healthy, 503 otherwise, with the checks as JSON. A plain
/// HttpListener keeps the service free of a web framework it would use for nothing else.
/// </summary>
internal sealed class HealthEndpoint(HealthCheckService health, IOptions<OperationsOptions> options, ILogger<HealthEndpoint> log) : BackgroundService
{
    public const string LiveTag = "live";
    public const string ReadyTag = "ready";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var port = options.Value.HealthPort;
        if (port == 0)
        {
            return;
        }

        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://*:{port}/health/");
        listener.Start();
        HostLog.HealthListening(log, port);
        using var stop = stoppingToken.Register(listener.Stop);
        while (!stoppingToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException && stoppingToken.IsCancellationRequested)
            {
                return;
            }

            try
            {
                await AnswerAsync(context, stoppingToken);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or OperationCanceledException or IOException)
            {
                // The prober hung up, or the node is stopping with a probe under way: neither is the service's fault,
                // and neither may end the endpoint (an unhandled exception here would stop the host).
                if (stoppingToken.IsCancellationRequested)
                {
                    return;
                }

                HostLog.HealthProbeAbandoned(log, e.GetType().Name);
            }
        }
    }

    private async Task AnswerAsync(HttpListenerContext context, CancellationToken cancellationToken)
    {
        using var response = context.Response;
        var tag = context.Request.Url?.AbsolutePath.TrimEnd('/') switch
        {
            "/health/live" => LiveTag,
            "/health/ready" => ReadyTag,
            _ => null,
        };
        if (tag is null)
        {
            response.StatusCode = (int)HttpStatusCode.NotFound;
            return;
        }

        var report = await health.CheckHealthAsync(check => check.Tags.Contains(tag), cancellationToken);
        response.StatusCode = report.Status == HealthStatus.Healthy ? (int)HttpStatusCode.OK : (int)HttpStatusCode.ServiceUnavailable;
        response.ContentType = "application/json";
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        });
        await response.OutputStream.WriteAsync(body, cancellationToken);
    }
}
