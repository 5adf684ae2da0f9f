using ActorPipeline.Coordinator;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static ActorPipeline.Coordinator.QueueProtocol;

namespace ActorPipeline.Host.Dashboard;

/// <summary>
/// Reads the coordinator's overview (wherever the singleton runs) into the page's history and hands
/// each new view to the open pages; also carries the page's one command, the requeue of dead letters.
/// </summary>
public sealed class RunSampler(
    IRequiredActor<CoordinatorActor> coordinator, IOptions<OperationsOptions> options, DashboardFeed feed, TimeProvider time, ILogger<RunSampler> log)
{
    private readonly RunHistory _history = new(options.Value.DashboardHistory, time);
    private readonly Lock _gate = new();
    private readonly TimeSpan _timeout = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(2).Ticks, options.Value.DashboardSampleInterval.Ticks));
    private bool _answered; // at least once: the wait at start-up, while the cluster forms, is no silence
    private bool _silent;

    /// <summary>Whether requeue requests are taken: only with a token configured.</summary>
    public bool RequeueAllowed { get; } = options.Value.EffectiveDashboardToken is not null;

    /// <summary>Reads one overview and publishes the view.</summary>
    /// <param name="cancellationToken">Ends the wait for the coordinator.</param>
    /// <param name="stopping">The node is on its way out: a coordinator gone by now is no news worth a warning.</param>
    public async Task SampleAsync(CancellationToken cancellationToken, bool stopping = false)
    {
        var proxy = await coordinator.GetAsync(cancellationToken);
        DashboardView view;
        try
        {
            var overview = await proxy.Ask<QueueOverview>(GetOverview.Instance, _timeout, cancellationToken);
            lock (_gate)
            {
                _history.Add(overview);
                view = _history.View(full: false, RequeueAllowed);
            }

            if (_silent)
            {
                DashboardLog.CoordinatorAnswersAgain(log);
            }

            (_answered, _silent) = (true, false);
        }
        catch (AskTimeoutException)
        {
            lock (_gate)
            {
                _history.Unanswered();
                view = _history.View(full: false, RequeueAllowed);
            }

            if (_answered && !_silent && !stopping)
            {
                DashboardLog.CoordinatorSilent(log, _timeout);
                _silent = true;
            }
        }

        feed.Publish(view);
    }

    /// <summary>Every chart point and the latest figures, for a page that has just loaded.</summary>
    public DashboardView FullView()
    {
        lock (_gate)
        {
            return _history.View(full: true, RequeueAllowed);
        }
    }

    /// <summary>Puts dead letters back on the queue (every one if <paramref name="itemIds"/> is empty); how many went back.</summary>
    /// <exception cref="AskTimeoutException">The coordinator did not confirm in time (it may still do it).</exception>
    public async Task<int> RequeueAsync(IReadOnlyList<long> itemIds, CancellationToken cancellationToken)
    {
        var proxy = await coordinator.GetAsync(cancellationToken);
        var ack = await proxy.Ask<DeadLettersRequeuedAck>(new RequeueDeadLetters(itemIds), _timeout, cancellationToken);
        await SampleAsync(cancellationToken); // the open pages see the list change now, not at the next tick
        return ack.Count;
    }
}
