using System.Diagnostics;
using ActorPipeline.Consumers;
using ActorPipeline.Coordinator;
using ActorPipeline.Producers;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static ActorPipeline.Consumers.ConsumerProtocol;
using static ActorPipeline.Coordinator.QueueProtocol;
using static ActorPipeline.Producers.ProducerProtocol;

namespace ActorPipeline.Host;

/// <summary>
/// The seed's <c>main</c>: start producers and consumers, gather the producers, join the queue,
/// cancel the consumers, report, and stop the host. A stop request mid-run stops the producers and
/// gives outstanding items <see cref="DrainOptions.Timeout"/> to finish before the consumers are
/// cancelled; what was left is counted in the summary.
/// </summary>
public sealed class PipelineRunner(
    IRequiredActor<CoordinatorActor> coordinator,
    IRequiredActor<ProducerPoolActor> producers,
    IRequiredActor<ConsumerPoolActor> consumers,
    IOptions<PipelineOptions> options,
    RunResult result,
    IHostApplicationLifetime lifetime,
    ILogger<PipelineRunner> log) : BackgroundService
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            result.Complete(await RunAsync(stoppingToken));
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

    private async Task<RunSummary> RunAsync(CancellationToken stoppingToken)
    {
        var started = Stopwatch.GetTimestamp();
        var settings = options.Value;
        var queue = await coordinator.GetAsync(stoppingToken);
        var producerPool = await producers.GetAsync(stoppingToken);
        var consumerPool = await consumers.GetAsync(stoppingToken);

        using var drain = new CancellationTokenSource();
        var onStop = stoppingToken.Register(() =>
        {
            HostLog.Draining(log, settings.Drain.Timeout);
            producerPool.Tell(StopProducing.Instance);
            drain.CancelAfter(settings.Drain.Timeout);
        });

        HostLog.Starting(log, settings.Producers.Count, settings.Consumers.Count, settings.Queue.Capacity, settings.Seed);
        consumerPool.Tell(StartConsuming.Instance);
        producerPool.Tell(StartProducing.Instance);

        ProducersFinished? gathered = null;
        var joined = false;
        try
        {
            gathered = await producerPool.Ask<ProducersFinished>(WhenProducersFinished.Instance, null, drain.Token);
            HostLog.ProducersFinished(log, gathered.Producers, gathered.Added);
            await queue.Ask<Joined>(Join.Instance, null, drain.Token);
            joined = true;
            HostLog.Joined(log);
        }
        catch (OperationCanceledException) when (drain.IsCancellationRequested)
        {
            HostLog.DrainTimedOut(log, settings.Drain.Timeout);

            // Releases producers still parked on a full queue, so that they can report what was refused.
            await queue.Ask<ShutdownAck>(new Shutdown(Immediate: false), ReplyTimeout, CancellationToken.None);
        }
        finally
        {
            // From here on a stop request changes nothing: the run is ending anyway.
            await onStop.DisposeAsync();
        }

        var cancelled = await consumerPool.Ask<ConsumersCancelled>(CancelConsumers.Instance, ReplyTimeout, CancellationToken.None);
        HostLog.ConsumersCancelled(log, cancelled.Consumers);

        gathered ??= await producerPool.Ask<ProducersFinished>(WhenProducersFinished.Instance, ReplyTimeout, CancellationToken.None);
        var status = await queue.Ask<QueueStatus>(GetStatus.Instance, ReplyTimeout, CancellationToken.None);
        var deadLetters = status.DeadLettered == 0
            ? []
            : (await queue.Ask<DeadLetters>(GetDeadLetters.Instance, ReplyTimeout, CancellationToken.None)).Items;

        var summary = new RunSummary(
            Produced: gathered.Added + gathered.Rejected,
            Accepted: status.Accepted,
            Completed: status.Completed,
            DeadLettered: status.DeadLettered,
            NotCompleted: status.Unfinished,
            Rejected: gathered.Rejected,
            Redelivered: status.Redelivered,
            Interrupted: stoppingToken.IsCancellationRequested,
            Joined: joined,
            FailedProducers: gathered.Failed,
            DeadLetters: deadLetters,
            Elapsed: Stopwatch.GetElapsedTime(started));
        Report(summary);
        return summary;
    }

    private void Report(RunSummary summary)
    {
        HostLog.Summary(log, summary.Produced, summary.Accepted, summary.Completed, summary.DeadLettered, summary.NotCompleted, summary.Rejected, summary.Redelivered);
        foreach (var dead in summary.DeadLetters)
        {
            HostLog.DeadLetter(log, dead.Item.Hex, dead.DeliveryId, dead.Attempts, dead.Error);
        }

        if (summary.NotCompleted > 0)
        {
            HostLog.NotCompleted(log, summary.NotCompleted);
        }

        HostLog.Completed(log, FixedSeconds.From(summary.Elapsed));
    }
}
