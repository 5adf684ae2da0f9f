using System.Runtime.CompilerServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorPipeline.Hosting.Dashboard;

/// <summary>
/// The operator's page, when <see cref="OperationsOptions.DashboardPort"/> is set: its server
/// (<see cref="DashboardServer"/>) and the loop that reads the coordinator's overview.
/// Registered between the actor system and the runner, so it stops after the drain (the page shows it)
/// and before the actor system (the last overview can still be read).
/// </summary>
internal sealed class DashboardService(
    IOptions<OperationsOptions> options, RunSampler sampler, DashboardFeed feed, RunResult result, ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan FinalSampleLimit = TimeSpan.FromSeconds(2);

    private readonly ILogger _log = loggers.CreateLogger<DashboardService>();
    private readonly CancellationTokenSource _stopping = new();
    private DashboardServer? _server;
    private Task _sampling = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.DashboardPort == 0)
        {
            return;
        }

        _server = CreateServer(settings);
        try
        {
            await _server.StartAsync(cancellationToken);
        }
        catch (IOException taken)
        {
            // A port another process holds is a setting that cannot be honoured: said like one, naming the key, exit 1.
            _server = null;
            throw new OptionsValidationException(
                OperationsOptions.SectionName,
                typeof(OperationsOptions),
                [$"{OperationsOptions.SectionName}:{nameof(OperationsOptions.DashboardPort)} = {settings.DashboardPort}: cannot listen on {settings.DashboardHost}:{settings.DashboardPort}: {taken.InnerException?.Message ?? taken.Message}"]);
        }

        DashboardLog.Listening(
            _log, $"http://{settings.DashboardHost}:{settings.DashboardPort}/",
            settings.EffectiveDashboardToken is null ? "read-only: no Operations:DashboardToken" : "requeue allowed with the token");
        _sampling = SampleAsync(settings.DashboardSampleInterval, _stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is null)
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
            await _server.StopAsync(limit.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    // Not inlined: ASP.NET Core's assemblies load when this is compiled, so only on a node with the page on.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private DashboardServer CreateServer(OperationsOptions settings) => new(settings, sampler, feed, loggers, _log);

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
