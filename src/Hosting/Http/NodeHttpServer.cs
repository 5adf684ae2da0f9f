using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorPipeline.Hosting.Http;

/// <summary>
/// The node's one Kestrel server: every endpoint group that is on, on one address and port. The service itself is
/// no web application, so the server is a small one of its own inside the service's host; a type apart from
/// <see cref="NodeHttpService"/> so that a node with every group off never loads ASP.NET Core at all.
/// </summary>
internal sealed class NodeHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    public NodeHttpServer(IPAddress address, int port, IReadOnlyList<IEndpointGroup> groups, ILoggerFactory loggers)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(address, port));
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton(loggers); // the service's Serilog pipeline, not a second one
        builder.Services.AddSingleton<IHostLifetime, OuterHostLifetime>(); // signals are the service's host's to handle
        foreach (var group in groups)
        {
            group.AddServices(builder.Services);
        }

        _app = builder.Build();
        _app.UseRouting();
        if (IPAddress.IsLoopback(address))
        {
            LoopbackHostOnly.Enforce(_app);
        }

        foreach (var group in groups)
        {
            group.Map(_app);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => _app.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => _app.StopAsync(cancellationToken);

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
