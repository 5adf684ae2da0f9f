using ActorPipeline.Coordinator.Actor;
using ActorPipeline.Coordinator;
using Akka.Actor;
using Microsoft.Extensions.Logging;
using static ActorPipeline.Consumers.ConsumerProtocol;

namespace ActorPipeline.Consumers;

/// <summary>
/// Starts this node's consumers, replaces one that dies (the coordinator re-queues what it held),
/// and cancels them all on request, answering once every one has stopped.
/// </summary>
/// <remarks>
/// Its phases are behaviours: <see cref="Idle"/> (nothing started), <see cref="Running"/> (consumers
/// started, a dead one replaced), <see cref="Draining"/> (asked to drain: none replaced, the askers answered
/// once all are idle) and <see cref="Cancelling"/> (asked to cancel: none replaced, the askers answered once
/// all have stopped; a drain asked before or after is still answered). Each phase registers every message
/// it can get, so that nothing the runner sends is logged as unexpected.
/// </remarks>
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

    public ConsumerPoolActor(ConsumerOptions options, IPayloadHandler handler, IActorRef coordinator, ILoggerFactory loggers, PipelineMetrics? metrics = null)
    {
        _metrics = metrics;
        _options = options;
        _handler = handler;
        _coordinator = coordinator;
        _consumerLog = loggers.CreateLogger<ConsumerActor>();
        _log = loggers.CreateLogger<ConsumerPoolActor>();
        Idle();
    }

    public static Props Props(ConsumerOptions options, IPayloadHandler handler, IActorRef coordinator, ILoggerFactory loggers, PipelineMetrics? metrics = null) =>
        ActorFactory.Props(() => new ConsumerPoolActor(options, handler, coordinator, loggers, metrics));

    // A restarted actor would keep its address, so the coordinator would never learn that the items it held were lost;
    // a stopped one is replaced by a new actor and its items are re-queued.
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    protected override void Unhandled(object message)
    {
        ConsumerLog.UnexpectedMessage(_log, message.GetType().Name, Sender.Path.ToString());
        base.Unhandled(message);
    }

    /// <summary>Nothing started yet: a start starts the consumers, once.</summary>
    private void Idle()
    {
        Receive<StartConsuming>(_ =>
        {
            StartAll();
            Become(Running);
        });
        Receive<DrainConsumers>(_ =>
        {
            Become(DrainingUnstarted);
            DrainAll();
        });
        Receive<Terminated>(_ => { }); // it watches nothing yet
        InEveryPhase();
    }

    /// <summary>The consumers run: one that stops before it finished is replaced under a new name.</summary>
    private void Running()
    {
        Receive<StartConsuming>(_ => { }); // started once already
        Receive<DrainConsumers>(_ =>
        {
            Become(Draining);
            DrainAll();
        });
        Receive<Terminated>(terminated =>
        {
            if (_running.Remove(terminated.ActorRef, out var id) && !_finished.Contains(id))
            {
                var replacement = $"consumer-{id}-r{++_replacements}";
                ConsumerLog.Replacing(_log, terminated.ActorRef.Path.Name, replacement);
                Spawn(id, replacement);
            }
        });
        InEveryPhase();
    }

    /// <summary>
    /// Asked to drain before it was started. A start still starts the consumers, as it always did, though
    /// they are not drained: nothing sends one after a drain, and the askers were answered already.
    /// </summary>
    private void DrainingUnstarted()
    {
        Receive<StartConsuming>(_ =>
        {
            StartAll();
            Become(Draining);
        });
        Draining();
    }

    /// <summary>
    /// Asked to drain: a consumer that stops now is not replaced (its items go back to the queue), and every
    /// asker is answered once all that still run are idle.
    /// </summary>
    private void Draining()
    {
        Receive<StartConsuming>(_ => { }); // started once already
        Receive<DrainConsumers>(_ => DrainAll());
        Receive<Terminated>(terminated =>
        {
            if (_running.Remove(terminated.ActorRef, out _))
            {
                AnswerDrainWaitersIfIdle();
            }
        });
        InEveryPhase();
    }

    /// <summary>
    /// Asked to cancel: no consumer is started or replaced any more, and every asker is answered once all
    /// have stopped. A drain may still be asked for, or still be waited for, and is answered as ever.
    /// </summary>
    private void Cancelling()
    {
        Receive<StartConsuming>(_ => { }); // too late: the run is ending
        Receive<DrainConsumers>(_ => DrainAll());
        Receive<Terminated>(terminated =>
        {
            if (_running.Remove(terminated.ActorRef, out _))
            {
                AnswerWaitersIfAllStopped();
                AnswerDrainWaitersIfIdle();
            }
        });
        InEveryPhase();
    }

    /// <summary>What every phase handles alike; last, after what the phase handles its own way.</summary>
    private void InEveryPhase()
    {
        Receive<CancelConsumers>(_ =>
        {
            Become(Cancelling);
            _waiters.Add(Sender);
            foreach (var consumer in _running.Keys)
            {
                consumer.Tell(Cancel.Instance);
            }

            AnswerWaitersIfAllStopped();
        });
        Receive<ConsumerFinished>(finished => _finished.Add(finished.ConsumerId));
        Receive<ConsumerDrained>(drained =>
        {
            _drained[drained.ConsumerId] = drained;
            AnswerDrainWaitersIfIdle();
        });
    }

    private void StartAll()
    {
        for (var i = 0; i < _options.Count; i++)
        {
            Spawn(i, $"consumer-{i}");
        }
    }

    private void DrainAll()
    {
        _drainWaiters.Add(Sender);
        foreach (var consumer in _running.Keys)
        {
            consumer.Tell(Drain.Instance);
        }

        AnswerDrainWaitersIfIdle();
    }

    /// <summary>Answers those waiting for a drain, if any, once every consumer still running has drained.</summary>
    private void AnswerDrainWaitersIfIdle()
    {
        if (_drainWaiters.Count == 0 || _running.Values.Any(id => !_drained.ContainsKey(id)))
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

    private void Spawn(int id, string name)
    {
        var consumer = Context.ActorOf(ConsumerActor.Props(id, _handler, _coordinator, _options, _consumerLog, _metrics), name);
        Context.Watch(consumer);
        _running.Add(consumer, id);
    }

    /// <summary>Answers those waiting for the cancellation, if any, once every consumer has stopped.</summary>
    private void AnswerWaitersIfAllStopped()
    {
        if (_waiters.Count == 0 || _running.Count > 0)
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
