using ActorPipeline.Coordinator;
using Akka.Actor;
using Microsoft.Extensions.Logging;
using static ActorPipeline.Consumers.ConsumerProtocol;

namespace ActorPipeline.Consumers;

/// <summary>
/// Starts this node's consumers, replaces one that dies (the coordinator re-queues what it held),
/// and cancels them all on request, answering once every one has stopped.
/// </summary>
internal sealed class ConsumerPoolActor : ReceiveActor
{
    private readonly ConsumerOptions _options;
    private readonly IPayloadHandler _handler;
    private readonly IActorRef _coordinator;
    private readonly ILogger<ConsumerActor> _consumerLog;
    private readonly ILogger _log;
    private readonly PipelineMetrics? _metrics;
    private readonly Dictionary<IActorRef, int> _running = [];
    private readonly HashSet<int> _finished = [];
    private readonly List<IActorRef> _waiters = [];
    private readonly Dictionary<int, ConsumerDrained> _drained = [];
    private readonly List<IActorRef> _drainWaiters = [];
    private int _replacements;
    private bool _started;
    private bool _cancelling;
    private bool _draining;

    public ConsumerPoolActor(ConsumerOptions options, IPayloadHandler handler, IActorRef coordinator, ILoggerFactory loggers, PipelineMetrics? metrics = null)
    {
        _metrics = metrics;
        _options = options;
        _handler = handler;
        _coordinator = coordinator;
        _consumerLog = loggers.CreateLogger<ConsumerActor>();
        _log = loggers.CreateLogger<ConsumerPoolActor>();
        Receive<StartConsuming>(HandleStartConsuming);
        Receive<CancelConsumers>(HandleCancelConsumers);
        Receive<ConsumerFinished>(HandleConsumerFinished);
        Receive<DrainConsumers>(HandleDrainConsumers);
        Receive<ConsumerDrained>(HandleConsumerDrained);
        Receive<Terminated>(HandleTerminated);
    }

    public static Props Props(ConsumerOptions options, IPayloadHandler handler, IActorRef coordinator, ILoggerFactory loggers, PipelineMetrics? metrics = null) =>
        Akka.Actor.Props.Create(() => new ConsumerPoolActor(options, handler, coordinator, loggers, metrics));

    // A restarted actor would keep its address, so the coordinator would never learn that the items it held were lost;
    // a stopped one is replaced by a new actor and its items are re-queued.
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    protected override void Unhandled(object message)
    {
        ConsumerLog.UnexpectedMessage(_log, message.GetType().Name, Sender.Path.ToString());
        base.Unhandled(message);
    }

    private void HandleStartConsuming(StartConsuming _)
    {
        if (_started || _cancelling)
        {
            return;
        }

        _started = true;
        for (var i = 0; i < _options.Count; i++)
        {
            Spawn(i, $"consumer-{i}");
        }
    }

    private void HandleCancelConsumers(CancelConsumers _)
    {
        _cancelling = true;
        _waiters.Add(Sender);
        foreach (var consumer in _running.Keys)
        {
            consumer.Tell(Cancel.Instance);
        }

        AnswerWaitersIfAllStopped();
    }

    private void HandleDrainConsumers(DrainConsumers _)
    {
        _draining = true;
        _drainWaiters.Add(Sender);
        foreach (var consumer in _running.Keys)
        {
            consumer.Tell(Drain.Instance);
        }

        AnswerDrainWaitersIfIdle();
    }

    private void HandleConsumerDrained(ConsumerDrained drained)
    {
        _drained[drained.ConsumerId] = drained;
        AnswerDrainWaitersIfIdle();
    }

    private void AnswerDrainWaitersIfIdle()
    {
        if (!_draining || _running.Values.Any(id => !_drained.ContainsKey(id)))
        {
            return;
        }

        var result = new ConsumersDrained(_drained.Values.Sum(d => d.Finished), _drained.Values.Sum(d => d.HandedBack));
        foreach (var waiter in _drainWaiters)
        {
            waiter.Tell(result);
        }

        _drainWaiters.Clear();
    }

    private void HandleConsumerFinished(ConsumerFinished finished) => _finished.Add(finished.ConsumerId);

    private void HandleTerminated(Terminated terminated)
    {
        if (!_running.Remove(terminated.ActorRef, out var id))
        {
            return;
        }

        if (!_cancelling && !_draining && !_finished.Contains(id))
        {
            var replacement = $"consumer-{id}-r{++_replacements}";
            ConsumerLog.Replacing(_log, terminated.ActorRef.Path.Name, replacement);
            Spawn(id, replacement);
        }

        AnswerWaitersIfAllStopped();
        AnswerDrainWaitersIfIdle();
    }

    private void Spawn(int id, string name)
    {
        var consumer = Context.ActorOf(ConsumerActor.Props(id, _handler, _coordinator, _options, _consumerLog, _metrics), name);
        Context.Watch(consumer);
        _running.Add(consumer, id);
    }

    private void AnswerWaitersIfAllStopped()
    {
        if (!_cancelling || _running.Count > 0)
        {
            return;
        }

        foreach (var waiter in _waiters)
        {
            waiter.Tell(new ConsumersCancelled(_options.Count));
        }

        _waiters.Clear();
    }
}
