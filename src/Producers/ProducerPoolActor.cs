using ActorPipeline.Coordinator.Actor;
using ActorPipeline.Coordinator;
using Akka.Actor;
using Microsoft.Extensions.Logging;
using static ActorPipeline.Producers.ProducerProtocol;

namespace ActorPipeline.Producers;

/// <summary>
/// Starts this node's producers and gathers them (asyncio's <c>gather</c>): it answers
/// <see cref="WhenProducersFinished"/> once each has reported (done, or stopped early by a stop request) or died.
/// </summary>
internal sealed class ProducerPoolActor : ReceiveActor
{
    private readonly ProducerOptions _options;
    private readonly IPayloadSource _source;
    private readonly IActorRef _coordinator;
    private readonly string _nodeName;
    private readonly string _job;
    private readonly ILoggerFactory _loggers;
    private readonly PipelineMetrics? _metrics;
    private readonly ILogger _log;
    private readonly HashSet<IActorRef> _running = [];
    private readonly HashSet<IActorRef> _reported = [];
    private readonly List<IActorRef> _waiters = [];
    private bool _started;
    private bool _stopping;
    private long _added;
    private long _rejected;
    private int _failed;
    private int _stoppedEarly;

    // job: the job the producers put into, the batch run's unless a service names its node's job.
    public ProducerPoolActor(
        ProducerOptions options, IPayloadSource source, IActorRef coordinator, string nodeName, ILoggerFactory loggers, PipelineMetrics? metrics = null, string job = JobIds.Run)
    {
        _nodeName = nodeName;
        _job = job;
        _metrics = metrics;
        _options = options;
        _source = source;
        _coordinator = coordinator;
        _loggers = loggers;
        _log = loggers.CreateLogger<ProducerPoolActor>();
        Receive<StartProducing>(HandleStartProducing);
        Receive<StopProducing>(HandleStopProducing);
        Receive<WhenProducersFinished>(HandleWhenProducersFinished);
        Receive<ProducerFinished>(HandleProducerFinished);
        Receive<Terminated>(HandleTerminated);
    }

    public static Props Props(
        ProducerOptions options, IPayloadSource source, IActorRef coordinator, string nodeName, ILoggerFactory loggers, PipelineMetrics? metrics = null, string job = JobIds.Run) =>
        ActorFactory.Props(() => new ProducerPoolActor(options, source, coordinator, nodeName, loggers, metrics, job));

    private bool AllFinished => _started && _running.Count == 0;

    // A restarted producer would read its source again from the start and put its items twice.
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    protected override void Unhandled(object message)
    {
        ProducerLog.UnexpectedMessage(_log, message.GetType().Name, Sender.Path.ToString());
        base.Unhandled(message);
    }

    private void HandleStartProducing(StartProducing _)
    {
        if (_started)
        {
            return;
        }

        _started = true;
        var log = _loggers.CreateLogger<ProducerActor>();
        for (var i = 0; i < _options.Count; i++)
        {
            // Unique across the cluster (node names are) and the same when this node restarts under its name,
            // whatever port it binds, so that a restarted producer learns how far it had got and resumes after it.
            var producerId = $"{_nodeName}/producer-{i}";
            var producer = Context.ActorOf(ProducerActor.Props(i, producerId, _source, _coordinator, _options, log, _metrics, _nodeName, _job), $"producer-{i}");
            Context.Watch(producer);
            _running.Add(producer);
            if (_stopping)
            {
                producer.Tell(StopProducing.Instance);
            }
        }

        AnswerWaitersIfFinished();
    }

    private void HandleStopProducing(StopProducing stop)
    {
        _stopping = true;
        foreach (var producer in _running)
        {
            producer.Tell(stop);
        }
    }

    private void HandleWhenProducersFinished(WhenProducersFinished _)
    {
        _waiters.Add(Sender);
        AnswerWaitersIfFinished();
    }

    private void HandleProducerFinished(ProducerFinished finished)
    {
        _added += finished.Added;
        _rejected += finished.Rejected;
        _failed += finished.Failed ? 1 : 0;
        _stoppedEarly += finished.StoppedEarly ? 1 : 0;
        _reported.Add(Sender);
        if (finished.StoppedEarly)
        {
            // Left to stop with the node: stopping it now would reach the coordinator as a producer gone
            // (DeathWatch), possibly before its word that it stopped on request, and be logged as a loss.
            _running.Remove(Sender);
            AnswerWaitersIfFinished();
            return;
        }

        Context.Stop(Sender);
    }

    private void HandleTerminated(Terminated terminated)
    {
        if (!_reported.Remove(terminated.ActorRef))
        {
            _failed++;
            ProducerLog.Crashed(_log, terminated.ActorRef.Path.Name);
        }

        _running.Remove(terminated.ActorRef);
        AnswerWaitersIfFinished();
    }

    private void AnswerWaitersIfFinished()
    {
        if (!AllFinished)
        {
            return;
        }

        var result = new ProducersFinished(_options.Count, _added, _rejected, _failed, _stoppedEarly);
        foreach (var waiter in _waiters)
        {
            waiter.Tell(result);
        }

        _waiters.Clear();
    }
}
