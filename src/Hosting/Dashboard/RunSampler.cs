using ActorPipeline.Coordinator;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Hosting.Dashboard;

/// <summary>
/// Reads the coordinator's overview (wherever the singleton runs) into the page's history and hands
/// each new view to the open pages; also carries the page's one command, the requeue of dead letters.
/// </summary>
internal sealed class RunSampler(
    IRequiredActor<CoordinatorKey> coordinator, IOptions<OperationsOptions> options, DashboardFeed feed, TimeProvider time, ILogger<RunSampler> log, CoordinatorFailure? failure = null)
    : IDisposable
{
    private readonly RunHistory _history = new(options.Value.DashboardHistory, time);
    private readonly Lock _gate = new();

    // One sample at a time, the timer's or a requeue's: overviews are added and published in the order they were read.
    private readonly SemaphoreSlim _sampling = new(1, 1);
    private readonly TimeSpan _timeout = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(2).Ticks, options.Value.DashboardSampleInterval.Ticks));
    private bool _answered; // at least once: the wait at start-up, while the cluster forms, is no silence
    private long? _silentSince;
    private bool _warned;

    /// <summary>Whether requeue requests are taken: only with a token configured.</summary>
    public bool RequeueAllowed { get; } = options.Value.EffectiveDashboardToken is not null;

    /// <summary>Reads one overview and publishes the view.</summary>
    /// <param name="cancellationToken">Ends the wait for the coordinator.</param>
    /// <param name="stopping">The node is on its way out: a coordinator gone by now is no news worth a warning.</param>
    public async Task SampleAsync(CancellationToken cancellationToken, bool stopping = false)
    {
        await _sampling.WaitAsync(cancellationToken);
        try
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

                if (_warned)
                {
                    DashboardLog.CoordinatorAnswersAgain(log);
                }

                (_answered, _silentSince, _warned) = (true, null, false);
            }
            catch (AskTimeoutException)
            {
                lock (_gate)
                {
                    _history.Unanswered();
                    view = _history.View(full: false, RequeueAllowed);
                }

                _silentSince ??= time.GetTimestamp();
                if (_answered && !_warned && !stopping && time.GetElapsedTime(_silentSince.Value) >= CoordinatorSilence.WorthAWarning)
                {
                    DashboardLog.CoordinatorSilent(log, time.GetElapsedTime(_silentSince.Value));
                    _warned = true;
                }
            }

            feed.Publish(WithJournalProblem(view));
        }
        finally
        {
            _sampling.Release();
        }
    }

    /// <summary>Every chart point and the latest figures, for a page that has just loaded.</summary>
    public DashboardView FullView()
    {
        lock (_gate)
        {
            return WithJournalProblem(_history.View(full: true, RequeueAllowed));
        }
    }

    /// <summary>The page says a journal outage in words, rather than as a coordinator that went quiet.</summary>
    private DashboardView WithJournalProblem(DashboardView view) =>
        failure?.JournalOutage is { } outage
            ? view with
            {
                JournalProblem = $"the journal has been failing for {Math.Round((time.GetUtcNow() - outage.Since).TotalSeconds)} s ({outage.Reason}); " +
                                 $"the coordinator restarts in {outage.RetryIn.TotalSeconds:0.#} s and nothing acknowledged is lost",
            }
            : view;

    /// <summary>Puts dead letters back on the queue (every one if <paramref name="itemIds"/> is null); how many went back.</summary>
    /// <exception cref="AskTimeoutException">The coordinator did not confirm in time (it may still do it).</exception>
    public async Task<int> RequeueAsync(IReadOnlyList<long>? itemIds, CancellationToken cancellationToken)
    {
        var proxy = await coordinator.GetAsync(cancellationToken);
        var ack = await proxy.Ask<DeadLettersRequeuedAck>(new RequeueDeadLetters(itemIds ?? []), _timeout, cancellationToken);
        return ack.Count;
    }

    /// <summary>Removes dead letters from the run for good (every one if <paramref name="itemIds"/> is null); how many went.</summary>
    /// <exception cref="AskTimeoutException">The coordinator did not confirm in time (it may still do it).</exception>
    public async Task<int> DiscardAsync(IReadOnlyList<long>? itemIds, CancellationToken cancellationToken)
    {
        var proxy = await coordinator.GetAsync(cancellationToken);
        var ack = await proxy.Ask<DeadLettersDiscardedAck>(new DiscardDeadLetters(itemIds ?? []), _timeout, cancellationToken);
        return ack.Count;
    }

    /// <summary>Ends the run for adding on an operator's word.</summary>
    /// <param name="requestedBy">Who asked, for the coordinator's log and journal.</param>
    /// <param name="cancellationToken">Gives up waiting for the coordinator's answer.</param>
    /// <exception cref="AskTimeoutException">The coordinator did not confirm in time (it may still do it).</exception>
    public async Task<RunEndAck> EndRunAsync(string requestedBy, CancellationToken cancellationToken)
    {
        var proxy = await coordinator.GetAsync(cancellationToken);
        return await proxy.Ask<RunEndAck>(new EndRun(requestedBy), _timeout, cancellationToken);
    }

    public void Dispose() => _sampling.Dispose();
}
