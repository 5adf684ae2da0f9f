using System.Diagnostics;
using ActorPipeline.Consumers;
using ActorPipeline.Coordinator;
using ActorPipeline.Coordinator.Protocol;
using ActorPipeline.Hosting.Jobs;
using ActorPipeline.Producers;
using Akka.Actor;
using Akka.Cluster;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static ActorPipeline.Consumers.ConsumerProtocol;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;
using static ActorPipeline.Producers.ProducerProtocol;

namespace ActorPipeline.Hosting.Running;

/// <summary>
/// The seed's <c>main</c>, per node: start this node's producers and consumers, gather the
/// producers, wait until the coordinator declares the run over (every expected producer done and
/// every accepted item done: the cluster-wide join), cancel the consumers, report, and stop the host.
/// A stop request mid-run is not a finish: the producers stop without declaring themselves done (the
/// journal keeps their place), the consumers get <see cref="DrainOptions.Timeout"/> to finish what they
/// hold or hand it back, and the node exits <see cref="ExitCodes.Unfinished"/> saying the run is not
/// finished; started again the same way, it resumes. Only the coordinator's join ends a run.
/// </summary>
internal sealed class PipelineRunner(
    IServiceProvider services,
    ActorSystem system,
    IOptions<PipelineOptions> options,
    IOptions<NodeOptions> nodeOptions,
    NodeIdentity identity,
    RunResult result,
    CoordinatorFailure coordinatorFailure,
    ClusterExit clusterExit,
    IHostApplicationLifetime lifetime,
    PipelineParts parts,
    ILogger<PipelineRunner> log) : BackgroundService
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StatusTimeout = TimeSpan.FromSeconds(5);

    // How long a member with this node's name may stay reachable before it is taken for a second node
    // rather than this one's killed incarnation: a little over the failure detector's pause.
    private static readonly TimeSpan NamePatience = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The host also stops when the cluster ended this node; that is no stop request, and there is nothing
        // left to drain on a stopped actor system, so the run hears only of a stop someone asked for. (Not
        // disposed: a run the cluster ended is left behind still holding its token, until the process exits.)
        var stopRequested = new CancellationTokenSource();
        stoppingToken.Register(() =>
        {
            if (!clusterExit.Ended.IsCompleted)
            {
                stopRequested.Cancel();
            }
        });

        // Cancelled when the run cannot go on here, which is no stop request: nothing is drained for it. (Not
        // disposed either: the run it abandons is left behind holding its token.)
        var abandoned = new CancellationTokenSource();
        try
        {
            // This node's coordinator failing to recover the queue ends the run at once, as does the cluster ending
            // this node: nothing here can finish it, and each has said why. The run is left to the host's stop.
            var run = RunAsync(stopRequested.Token, abandoned.Token);
            var first = await Task.WhenAny(run, coordinatorFailure.Failed, clusterExit.Ended);
            if (first == coordinatorFailure.Failed)
            {
                await abandoned.CancelAsync();
                result.Fail(new CoordinatorRecoveryFailedException(await coordinatorFailure.Failed)); // exit 1 without a run
            }
            else if (first == clusterExit.Ended)
            {
                await abandoned.CancelAsync();
                result.Fail(new ClusterExitedException());
            }
            else
            {
                result.Complete(await run);
            }
        }
        catch (ClusterEntryFailedException refused)
        {
            result.Fail(refused); // already logged, saying why: exit 1 without a run
        }
        catch (OperationCanceledException) when (stopRequested.IsCancellationRequested && !clusterExit.Ended.IsCompleted)
        {
            // Stopped while it was still entering the cluster: nothing was taken or done here, and that is no failure.
            HostLog.StoppedBeforeRun(log);
            result.StoppedBeforeRun();
        }
        catch (Exception broken) when (clusterExit.Ended.IsCompleted)
        {
            result.Fail(broken); // the actor system stopped under the run; ClusterExit has said why
        }
        catch (Exception error)
        {
            HostLog.RunFailed(log, error);
            result.Fail(error);
        }
        finally
        {
            lifetime.StopApplication();
        }
    }

    /// <param name="stoppingToken">A stop request: the producers stop, the consumers drain.</param>
    /// <param name="abandoned">The run cannot go on here (see <see cref="ExecuteAsync"/>): start nothing more, drain nothing.</param>
    private async Task<RunSummary> RunAsync(CancellationToken stoppingToken, CancellationToken abandoned)
    {
        var started = Stopwatch.GetTimestamp();
        var settings = options.Value;
        var node = nodeOptions.Value;
        var cluster = Akka.Cluster.Cluster.Get(system);
        if (node.SeedNodeList.Count > 0 && node.JoinTimeout > TimeSpan.Zero && !await ClusterEntry.JoinedAsync(cluster, node.JoinTimeout, stoppingToken))
        {
            HostLog.JoinTimedOut(log, node.JoinTimeout, string.Join(", ", node.SeedNodeList));
            throw new ClusterEntryFailedException();
        }

        if (await ClusterEntry.NameTakenByAsync(cluster, identity, NamePatience, stoppingToken) is { } holder)
        {
            HostLog.NameTaken(log, identity.Name, holder.Address.ToString());
            throw new ClusterEntryFailedException();
        }

        var hostsCoordinator = node.Has(ClusterRoles.Coordinator);
        var queue = await services.GetRequiredService<IRequiredActor<CoordinatorKey>>().GetAsync(stoppingToken);
        var producerPool = node.Has(ClusterRoles.Producer) ? await services.GetRequiredService<IRequiredActor<ProducersKey>>().GetAsync(stoppingToken) : null;
        var consumerPool = node.Has(ClusterRoles.Consumer) ? await services.GetRequiredService<IRequiredActor<ConsumersKey>>().GetAsync(stoppingToken) : null;

        if (settings.Mode == PipelineMode.Service)
        {
            return await ServeAsync(queue, producerPool, consumerPool, started, stoppingToken, abandoned);
        }

        var runEnd = new TaskCompletionSource<QueueStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        var monitor = system.ActorOf(RunMonitorActor.Props(queue, node.RetryInterval, runEnd, coordinatorFailure, log), "run-monitor");
        var stopRequested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var drain = new CancellationTokenSource();
        var onStop = stoppingToken.Register(() =>
        {
            if (abandoned.IsCancellationRequested)
            {
                return; // the host is stopping because the run cannot go on: there is no run to drain
            }

            HostLog.Draining(log, settings.Drain.Timeout);
            producerPool?.Tell(StopProducing.Instance);
            drain.CancelAfter(settings.Drain.Timeout);
            stopRequested.TrySetResult();
        });

        LogStart(producerPool, consumerPool, cluster);
        // Abandoned while this node was entering the cluster: start nothing for a run that cannot happen.
        abandoned.ThrowIfCancellationRequested();

        consumerPool?.Tell(StartConsuming.Instance);
        producerPool?.Tell(StartProducing.Instance);

        ProducersFinished? gathered = null;
        QueueStatus? final = null;
        try
        {
            if (producerPool is not null)
            {
                gathered = await producerPool.Ask<ProducersFinished>(WhenProducersFinished.Instance, null, drain.Token);
                if (gathered.StoppedEarly > 0)
                {
                    HostLog.ProducersStopped(log, gathered.StoppedEarly, gathered.Producers, gathered.Added);
                }
                else
                {
                    HostLog.ProducersFinished(log, gathered.Producers, gathered.Added);
                }
            }

            // A stop is not a finish, on any node: the producers stopped without declaring themselves done, so
            // the run goes on (or waits, journaled, for this node to come back). Only the coordinator's join ends it.
            await Task.WhenAny(runEnd.Task, stopRequested.Task).WaitAsync(drain.Token);
            if (runEnd.Task.IsCompletedSuccessfully)
            {
                final = runEnd.Task.Result;
                HostLog.Joined(log);
            }
            else if (consumerPool is not null)
            {
                // What the consumers hold is finished within the drain timeout or handed back; what is queued stays queued.
                var outcome = await consumerPool.Ask<ConsumersDrained>(DrainConsumers.Instance, null, drain.Token);
                HostLog.ConsumersDrained(log, outcome.Finished, outcome.HandedBack);
            }
        }
        catch (OperationCanceledException) when (drain.IsCancellationRequested)
        {
            // Nothing is shut down or dropped: what was not finished stays in the journal, and its consumers'
            // cancellation hands it back (or the coordinator's next incarnation queues it again). Producers
            // still waiting for a put's answer wait no longer, so that they can report what they did.
            HostLog.DrainTimedOut(log, settings.Drain.Timeout);
            producerPool?.Tell(StopProducing.Now);
        }
        finally
        {
            // From here on a stop request changes nothing: the run is ending anyway.
            await onStop.DisposeAsync();
            system.Stop(monitor);
        }

        if (consumerPool is not null)
        {
            var cancelled = await consumerPool.Ask<ConsumersCancelled>(CancelConsumers.Instance, ReplyTimeout, CancellationToken.None);
            HostLog.ConsumersCancelled(log, cancelled.Consumers);
        }

        if (producerPool is not null)
        {
            gathered ??= await TryAskAsync<ProducersFinished>(producerPool, WhenProducersFinished.Instance, StatusTimeout);
        }

        // The queue's figures are the coordinator's, from its journal: this process's counters alone would
        // say 0 accepted after a restart or while the journal is down. Without an answer they are unknown, not 0.
        var status = final ?? await TryAskAsync<QueueStatus>(queue, GetStatus.Instance, StatusTimeout);

        var deadLetters = hostsCoordinator && status is { DeadLettered: > 0 }
            ? (await TryAskAsync<DeadLetters>(queue, GetDeadLetters.Instance, StatusTimeout))?.Items ?? []
            : [];

        var summary = RunSummary.Of(gathered, status, stoppingToken.IsCancellationRequested, final is not null, Stopwatch.GetElapsedTime(started))
            with { DeadLetters = deadLetters };
        Report(summary);
        if (final is null)
        {
            // The one line that says a stop is not a finish, and what to do about it: after the figures, the last word.
            if (status is null)
            {
                HostLog.RunNotFinishedUnknown(log, gathered?.StoppedEarly ?? 0, gathered?.Producers ?? 0);
            }
            else if (producerPool is null)
            {
                HostLog.RunNotFinishedWithoutProducers(log, status.Unfinished);
            }
            else
            {
                HostLog.RunNotFinished(log, gathered?.StoppedEarly ?? 0, gathered?.Producers ?? 0, status.Unfinished);
            }
        }

        if (final is not null && hostsCoordinator)
        {
            await WaitForOtherNodesToLeaveAsync(node.ExitGrace);
        }

        return summary;
    }

    private void LogStart(IActorRef? producerPool, IActorRef? consumerPool, Cluster cluster)
    {
        var settings = options.Value;
        var node = nodeOptions.Value;
        HostLog.Starting(
            log, node.Roles, producerPool is null ? 0 : settings.Producers.Count, consumerPool is null ? 0 : settings.Consumers.Count,
            settings.Queue.Capacity, parts.ItemType.Name);
        HostLog.Address(
            log, identity.Name, cluster.SelfAddress.ToString(),
            node.Tls.Enabled ? "mutual TLS (peers must present a certificate from a trusted CA)" : "plain TCP (Cluster:Tls:Enabled is false)");
    }

    /// <summary>
    /// A service (<see cref="PipelineMode.Service"/>): the consumers run until the node is stopped; this node's producers, if
    /// it has any, put into a job of their own, opened before they start and closed once they are all done. Nothing waits
    /// for the batch run. A stop drains the consumers as a run's does and leaves open jobs open in the journal; the node
    /// exits 0 only if no job is left unsettled, else <see cref="ExitCodes.Unfinished"/>: a restart continues them.
    /// </summary>
    private async Task<RunSummary> ServeAsync(
        IActorRef queue, IActorRef? producerPool, IActorRef? consumerPool, long started, CancellationToken stoppingToken, CancellationToken abandoned)
    {
        var settings = options.Value;
        var cluster = Cluster.Get(system);
        var jobs = services.GetRequiredService<PipelineJobs>();
        var stopRequested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var drain = new CancellationTokenSource();
        var onStop = stoppingToken.Register(() =>
        {
            if (abandoned.IsCancellationRequested)
            {
                return;
            }

            HostLog.Draining(log, settings.Drain.Timeout);
            producerPool?.Tell(StopProducing.Instance);
            drain.CancelAfter(settings.Drain.Timeout);
            stopRequested.TrySetResult();
        });

        LogStart(producerPool, consumerPool, cluster);
        abandoned.ThrowIfCancellationRequested();
        consumerPool?.Tell(StartConsuming.Instance);

        ProducersFinished? gathered = null;
        try
        {
            if (producerPool is not null && settings.Producers.Count > 0)
            {
                // Opened (idempotently: a restart finds it) before any producer puts into it; a node without producers opens none.
                var nodeJob = ServiceJobs.ForNodeProducers(identity.Name);
                var (_, opened) = await jobs.OpenWithReportAsync(ServiceJobs.NameForNodeProducers(identity.Name), new JobOpenOptions { Id = nodeJob }, stoppingToken);
                if (opened.State != JobState.Open)
                {
                    JobsLog.NodeJobNotOpen(log, nodeJob, opened.State.ToString().ToLowerInvariant());
                }
                else
                {
                    JobsLog.NodeJobOpened(log, nodeJob, opened.Name);
                    producerPool.Tell(StartProducing.Instance);
                    gathered = await producerPool.Ask<ProducersFinished>(WhenProducersFinished.Instance, null, drain.Token);
                    if (gathered.StoppedEarly > 0)
                    {
                        HostLog.ProducersStopped(log, gathered.StoppedEarly, gathered.Producers, gathered.Added);
                    }
                    else
                    {
                        HostLog.ProducersFinished(log, gathered.Producers, gathered.Added);
                        var closed = await jobs.CloseAsync(nodeJob, stoppingToken);
                        JobsLog.NodeJobClosed(log, nodeJob, closed.Accepted);
                    }
                }
            }

            await stopRequested.Task.WaitAsync(drain.Token);
            if (consumerPool is not null)
            {
                var outcome = await consumerPool.Ask<ConsumersDrained>(DrainConsumers.Instance, null, drain.Token);
                HostLog.ConsumersDrained(log, outcome.Finished, outcome.HandedBack);
            }
        }
        catch (OperationCanceledException) when (drain.IsCancellationRequested)
        {
            HostLog.DrainTimedOut(log, settings.Drain.Timeout);
            producerPool?.Tell(StopProducing.Now);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested && !abandoned.IsCancellationRequested)
        {
            // Stopped while the node's job was being opened or closed: it stays as the coordinator has it, and a restart
            // opens (or closes) it again. The consumers still drain.
            if (consumerPool is not null)
            {
                await DrainAfterStopAsync(consumerPool, drain.Token);
            }
        }
        finally
        {
            await onStop.DisposeAsync();
        }

        if (consumerPool is not null)
        {
            var cancelled = await consumerPool.Ask<ConsumersCancelled>(CancelConsumers.Instance, ReplyTimeout, CancellationToken.None);
            HostLog.ConsumersCancelled(log, cancelled.Consumers);
        }

        if (producerPool is not null)
        {
            gathered ??= await TryAskAsync<ProducersFinished>(producerPool, WhenProducersFinished.Instance, StatusTimeout);
        }

        var status = await TryAskAsync<QueueStatus>(queue, GetStatus.Instance, StatusTimeout);
        var unsettled = await UnsettledJobsAsync(jobs);
        var summary = RunSummary.Of(gathered, status, interrupted: true, runEnded: unsettled is { Count: 0 }, Stopwatch.GetElapsedTime(started))
            with { EndedByOperator = false, UnsettledJobs = unsettled?.Count ?? -1 };
        Report(summary);
        if (unsettled is null)
        {
            JobsLog.ServiceStoppedUnknown(log);
        }
        else if (unsettled.Count == 0)
        {
            JobsLog.ServiceStoppedSettled(log);
        }
        else
        {
            JobsLog.ServiceStoppedUnsettled(log, unsettled.Count, string.Join(", ", unsettled.Take(10)) + (unsettled.Count > 10 ? ", ..." : ""));
        }

        return summary;
    }

    private async Task DrainAfterStopAsync(IActorRef consumerPool, CancellationToken drain)
    {
        try
        {
            var outcome = await consumerPool.Ask<ConsumersDrained>(DrainConsumers.Instance, null, drain);
            HostLog.ConsumersDrained(log, outcome.Finished, outcome.HandedBack);
        }
        catch (OperationCanceledException) when (drain.IsCancellationRequested)
        {
            HostLog.DrainTimedOut(log, options.Value.Drain.Timeout);
        }
    }

    /// <summary>
    /// The ids of the jobs not settled, or null if the coordinator does not answer. The batch run's job, which a service
    /// never closes, counts only if something was put into it and is not done.
    /// </summary>
    private static async Task<IReadOnlyList<string>?> UnsettledJobsAsync(PipelineJobs jobs)
    {
        using var limit = new CancellationTokenSource(StatusTimeout);
        try
        {
            var all = await jobs.ListAsync(limit.Token);
            return [.. all.Where(j => !j.IsSettled && (j.Id != JobIds.Run || j.Unfinished > 0)).Select(j => j.Id)];
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private static async Task<T?> TryAskAsync<T>(IActorRef actor, object message, TimeSpan timeout)
        where T : class
    {
        try
        {
            return await actor.Ask<T>(message, timeout, CancellationToken.None);
        }
        catch (Exception e) when (e is AskTimeoutException or OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>
    /// The other nodes learn that the run is over from this node's coordinator; leaving before they
    /// have heard would strand them, so a coordinator node lets them go first (up to a grace period).
    /// The oldest coordinator node, which hosts the singleton, also waits for the standby coordinator
    /// nodes: leaving together, the singleton would be handed over to a node that is leaving too, and
    /// the standby would lose its peer mid-leave (Akka logs that as a failed association).
    /// </summary>
    private async Task WaitForOtherNodesToLeaveAsync(TimeSpan grace)
    {
        var cluster = Cluster.Get(system);
        var self = cluster.SelfMember;
        var hostsSingleton = !cluster.State.Members.Any(m =>
            m.HasRole(ClusterRoles.Coordinator) && m.Status == MemberStatus.Up && m.IsOlderThan(self));
        using var limit = new CancellationTokenSource(grace);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            while (cluster.State.Members.Any(m =>
                       !m.Address.Equals(self.Address)
                       && (hostsSingleton || !m.HasRole(ClusterRoles.Coordinator))
                       && m.Status is not (MemberStatus.Removed or MemberStatus.Down) // gone only once removed: leaving takes a few gossip rounds
                       && !cluster.State.Unreachable.Contains(m)))
            {
                await poll.WaitForNextTickAsync(limit.Token);
            }
        }
        catch (OperationCanceledException)
        {
            HostLog.NodesStillUp(log, grace);
        }
    }

    private void Report(RunSummary summary)
    {
        if (!summary.AccountingKnown)
        {
            HostLog.SummaryWithoutCoordinator(log, summary.Produced, summary.Rejected);
            return;
        }

        HostLog.Summary(
            log, summary.Produced, summary.Accepted, summary.Completed, summary.DeadLettered, summary.Discarded, summary.NotCompleted,
            summary.Rejected, summary.Redelivered, summary.DuplicateAcks, summary.ProducersLost);
        if (summary.EndedByOperator)
        {
            HostLog.RunEndedByOperator(log);
        }

        foreach (var dead in summary.DeadLetters)
        {
            HostLog.DeadLetter(log, parts.Formatter.Describe(dead.Item), dead.ItemId, dead.DeliveryId, dead.Attempts, dead.Error);
        }
    }
}
