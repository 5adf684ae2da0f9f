using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorPipeline.Hosting.Dashboard;

/// <summary>
/// The loop that reads the coordinator's overview for the operator's page, when <see cref="OperationsOptions.DashboardEnabled"/>
/// (the node's HTTP server serves the page: <see cref="DashboardEndpoints"/>). Registered between the actor system and
/// the runner, so it stops after the drain (the page shows it) and before the actor system (the last overview can
/// still be read); and after the server, so every open page gets the end of its stream before the server stops.
/// </summary>
internal sealed class DashboardService(
    IOptions<OperationsOptions> options, RunSampler sampler, DashboardFeed feed, RunResult result, ILoggerFactory loggers) : IHostedService, IDisposable
{
    private static readonly TimeSpan FinalSampleLimit = TimeSpan.FromSeconds(2);

    private readonly ILogger _log = loggers.CreateLogger<DashboardService>();
    private readonly CancellationTokenSource _stopping = new();
    private bool _started;
    private Task _sampling = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.DashboardEnabled)
        {
            return Task.CompletedTask;
        }

        _started = true;
        _sampling = SampleAsync(settings.DashboardSampleInterval, _stopping.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!_started)
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
            // Whatever became of the last reading, every page gets the end of its stream.
            feed.Complete();
        }
    }

    public void Dispose() => _stopping.Dispose();

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
