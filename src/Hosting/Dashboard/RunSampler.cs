using ActorPipeline.Coordinator;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static ActorPipeline.Coordinator.Protocol.JobProtocol;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Hosting.Dashboard;

/// <summary>
/// Reads the coordinator's overview and its list of jobs (wherever the singleton runs) into the page's history and
/// hands each new view to the open pages; also carries the page's commands (the requeue and discard of dead letters,
/// the end of the run) and its one look at a single job.
/// </summary>
internal sealed class RunSampler(
    IRequiredActor<CoordinatorKey> coordinator, IOptions<OperationsOptions> options, DashboardFeed feed, TimeProvider time, ILogger<RunSampler> log, CoordinatorFailure? failure = null)
    : IDisposable
{
    /// <summary>
    /// How long the job list may come after the overview. The coordinator answers the list first (it is asked first),
    /// so it is already on its way when the overview arrives; one that never comes is from a coordinator that does
    /// not know jobs (an older node's, in a rolling upgrade), and must not hold the overview back for a whole timeout.
    /// </summary>
    private static readonly TimeSpan JobListGrace = TimeSpan.FromMilliseconds(250);

    private readonly RunHistory _history = new(options.Value.DashboardHistory, time);
    private readonly JobHistory _jobs = new(time);
    private readonly Lock _gate = new();

    // One sample at a time, the timer's or a requeue's: overviews are added and published in the order they were read.
    private readonly SemaphoreSlim _sampling = new(1, 1);
    private readonly TimeSpan _timeout = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(2).Ticks, options.Value.DashboardSampleInterval.Ticks));
    private bool _answered; // at least once: the wait at start-up, while the cluster forms, is no silence
    private long? _silentSince;
    private bool _warned;
    private bool _jobsSilent;

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
            using var jobListWait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var jobList = AskJobListAsync(proxy, jobListWait.Token); // first, so it is answered before the overview
            try
            {
                var overview = await proxy.Ask<QueueOverview>(GetOverview.Instance, _timeout, cancellationToken);
                jobListWait.CancelAfter(JobListGrace);
                var jobs = await jobList;
                lock (_gate)
                {
                    _history.Add(overview);
                    if (jobs is not null)
                    {
                        _jobs.Add(jobs.Jobs);
                    }
                    else
                    {
                        _jobs.Unanswered();
                    }

                    view = _history.View(full: false, RequeueAllowed) with { Jobs = _jobs.View() };
                }

                if (jobs is null && !_jobsSilent && !stopping)
                {
                    DashboardLog.JobListUnanswered(log); // once, until it answers again
                }

                _jobsSilent = jobs is null;

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
                    _jobs.Unanswered();
                    view = _history.View(full: false, RequeueAllowed) with { Jobs = _jobs.View() };
                }

                _silentSince ??= time.GetTimestamp();
                if (_answered && !_warned && !stopping && time.GetElapsedTime(_silentSince.Value) >= CoordinatorSilence.WorthAWarning)
                {
                    DashboardLog.CoordinatorSilent(log, time.GetElapsedTime(_silentSince.Value));
                    _warned = true;
                }
            }
            finally
            {
                await jobListWait.CancelAsync(); // a list that did not come with the overview is not waited for
                await jobList; // never throws: it is null when unanswered
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
            return WithJournalProblem(_history.View(full: true, RequeueAllowed) with { Jobs = _jobs.View() });
        }
    }

    /// <summary>The jobs as the last reading listed them.</summary>
    public JobsView Jobs()
    {
        lock (_gate)
        {
            return _jobs.View();
        }
    }

    /// <summary>One job with its producers and dead letters, asked of the coordinator now; null if it knows no such job.</summary>
    /// <exception cref="AskTimeoutException">The coordinator did not answer in time.</exception>
    public async Task<JobDetailView?> JobAsync(string jobId, CancellationToken cancellationToken)
    {
        var proxy = await coordinator.GetAsync(cancellationToken);
        var answer = await proxy.Ask<IQueueMessage>(new GetJob(jobId), _timeout, cancellationToken);
        if (answer is not JobStatus job)
        {
            return null; // JobUnknown: never opened, or settled and forgotten
        }

        JobView row;
        lock (_gate)
        {
            row = _jobs.ViewOf(job);
        }

        return new JobDetailView(row, job.Producers, [.. job.DeadLetters.Select(d => DeadLetterView.Of(DeadLetterOverview.Of(d)))]);
    }

    /// <summary>The coordinator's job list, or null when it gave none in time (see <see cref="JobListGrace"/>).</summary>
    private async Task<JobList?> AskJobListAsync(IActorRef proxy, CancellationToken cancellationToken)
    {
        try
        {
            return await proxy.Ask<JobList>(GetJobs.Instance, _timeout, cancellationToken);
        }
        catch (Exception e) when (e is AskTimeoutException or OperationCanceledException)
        {
            return null;
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
