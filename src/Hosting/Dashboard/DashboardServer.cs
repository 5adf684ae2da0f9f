using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorPipeline.Hosting.Dashboard;

/// <summary>
/// The page's own small Kestrel server (the service itself is no web application). A type apart from
/// <see cref="DashboardService"/> so that a node with the page off never loads ASP.NET Core at all.
/// </summary>
internal sealed class DashboardServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    public DashboardServer(OperationsOptions settings, RunSampler sampler, DashboardFeed feed, ILoggerFactory loggers, ILogger log)
    {
        var address = IPAddress.Parse(settings.DashboardHost);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(address, settings.DashboardPort));
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton(loggers); // the service's Serilog pipeline, not a second one
        builder.Services.AddSingleton<IHostLifetime, OuterHostLifetime>(); // signals are the service's host's to handle
        _app = builder.Build();
        if (IPAddress.IsLoopback(address))
        {
            // Listening on loopback only, the page answers only to loopback names: a web page elsewhere that
            // points its own host name at 127.0.0.1 (DNS rebinding) cannot read it through the user's browser.
            _app.Use((context, next) => LoopbackHostOnly.Allows(context.Request.Host.Host) ? next(context) : LoopbackHostOnly.RefuseAsync(context));
        }

        _app.UseRouting();
        DashboardEndpoints.Map(_app, sampler, feed, settings.EffectiveDashboardToken, log);
    }

    public Task StartAsync(CancellationToken cancellationToken) => _app.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => _app.StopAsync(cancellationToken);

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
