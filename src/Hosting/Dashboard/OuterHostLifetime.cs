using Microsoft.Extensions.Hosting;

namespace ActorPipeline.Hosting.Dashboard;

/// <summary>
/// The dashboard's web server runs inside the service's host, which owns SIGTERM and Ctrl+C. The default
/// console lifetime would stop the page on the signal, before the drain it is there to show.
/// </summary>
internal sealed class OuterHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
