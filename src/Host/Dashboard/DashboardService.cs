using System.Net;
using Akka.Actor;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorPipeline.Host.Dashboard;

/// <summary>
/// The operator's page, when <see cref="OperationsOptions.DashboardPort"/> is set: a small Kestrel server of
/// its own (the service itself is no web application) and the loop that reads the coordinator's overview.
/// Registered between the actor system and the runner, so it stops after the drain (the page shows it)
/// and before the actor system (the last overview can still be read).
/// </summary>
public sealed class DashboardService(
    IOptions<OperationsOptions> options, RunSampler sampler, DashboardFeed feed, RunResult result, ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan FinalSampleLimit = TimeSpan.FromSeconds(2);

    private readonly ILogger _log = loggers.CreateLogger<DashboardService>();
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication? _app;
    private Task _sampling = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.DashboardPort == 0)
        {
            return;
        }

        var token = settings.EffectiveDashboardToken;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Parse(settings.DashboardHost), settings.DashboardPort));
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton(loggers); // the service's Serilog pipeline, not a second one
        builder.Services.AddSingleton<IHostLifetime, OuterHostLifetime>(); // signals are the service's host's to handle
        _app = builder.Build();
        var address = IPAddress.Parse(settings.DashboardHost);
        if (IPAddress.IsLoopback(address))
        {
            // Listening on loopback only, the page answers only to loopback names: a web page elsewhere that
            // points its own host name at 127.0.0.1 (DNS rebinding) cannot read it through the user's browser.
            _app.Use((context, next) => LoopbackHostOnly.Allows(context.Request.Host.Host) ? next(context) : LoopbackHostOnly.RefuseAsync(context));
        }

        _app.UseRouting();
        DashboardEndpoints.Map(_app, sampler, feed, token, _log);
        await _app.StartAsync(cancellationToken);
        DashboardLog.Listening(
            _log, $"http://{settings.DashboardHost}:{settings.DashboardPort}/",
            token is null ? "read-only: no Operations:DashboardToken" : "requeue allowed with the token");
        _sampling = SampleAsync(settings.DashboardSampleInterval, _stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is null)
        {
            return;
        }

        try
        {
            await _stopping.CancelAsync();
            await _sampling;
            using var last = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            last.CancelAfter(FinalSampleLimit);
            await TrySampleAsync(last.Token, stopping: true); // the figures the run ended with
        }
        finally
        {
            // Whatever became of the last reading, every page gets the end of its stream and the server stops.
            feed.Complete();
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(StopLimit);
            await _app.StopAsync(limit.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private async Task SampleAsync(TimeSpan interval, CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(interval);
        var runEnded = result.Summary;
        try
        {
            do
            {
                await TrySampleAsync(stopping);
                var tick = timer.WaitForNextTickAsync(stopping).AsTask();
                if (!runEnded.IsCompleted && await Task.WhenAny(tick, runEnded) == runEnded)
                {
                    await TrySampleAsync(stopping); // the run just ended: show how at once, not at the next tick
                }

                await tick;
            }
            while (!stopping.IsCancellationRequested);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private async Task TrySampleAsync(CancellationToken cancellationToken, bool stopping = false)
    {
        try
        {
            await sampler.SampleAsync(cancellationToken, stopping);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A page that cannot be refreshed must not take the node down with it.
            DashboardLog.SampleFailed(_log, e);
        }
    }
}
