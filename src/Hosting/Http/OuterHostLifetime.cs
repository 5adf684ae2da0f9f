using Microsoft.Extensions.Hosting;

namespace ActorPipeline.Hosting.Http;

/// <summary>
/// The node's web server runs inside the service's host, which owns SIGTERM and Ctrl+C. The default
/// console lifetime would stop the server on the signal, before the drain the page is there to show
/// and while health is still asked how the node is.
/// </summary>
internal sealed class OuterHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
