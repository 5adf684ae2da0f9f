using ActorPipeline.Coordinator;
using Akka.Actor;

namespace ActorPipeline.Tests.Fuzz;

/// <summary>
/// Sits between one client (a producer or consumer) and the coordinator and treats protocol
/// messages in both directions like a bad network: drops some, repeats some, delays some (which
/// also reorders them). Seeded, so a failing seed can be replayed.
/// </summary>
internal sealed class ChaosLink : ReceiveActor
{
    private readonly IActorRef _coordinator;
    private readonly Random _random;
    private readonly double _drop;
    private readonly double _duplicate;
    private readonly double _delay;
    private IActorRef? _client;

    public ChaosLink(IActorRef coordinator, int seed, double drop, double duplicate, double delay)
    {
        _coordinator = coordinator;
        _random = new Random(seed);
        _drop = drop;
        _duplicate = duplicate;
        _delay = delay;
        Receive<IQueueMessage>(Pass);
    }

    public long Dropped { get; private set; }

    public static Props Props(IActorRef coordinator, int seed, double drop, double duplicate, double delay) =>
        Akka.Actor.Props.Create(() => new ChaosLink(coordinator, seed, drop, duplicate, delay));

    private void Pass(IQueueMessage message)
    {
        IActorRef? to;
        if (Sender.Equals(_coordinator))
        {
            to = _client;
        }
        else
        {
            _client ??= Sender;
            to = _coordinator;
        }

        if (to is null || _random.NextDouble() < _drop)
        {
            return;
        }

        Send(message, to);
        if (_random.NextDouble() < _duplicate)
        {
            Send(message, to);
        }
    }

    private void Send(IQueueMessage message, IActorRef to)
    {
        if (_random.NextDouble() < _delay)
        {
            var delay = TimeSpan.FromMilliseconds(_random.Next(1, 150));
            Context.System.Scheduler.ScheduleTellOnce(delay, to, message, Self);
        }
        else
        {
            to.Tell(message, Self);
        }
    }
}
