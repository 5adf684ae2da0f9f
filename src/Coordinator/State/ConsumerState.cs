namespace ActorPipeline.Coordinator.State;

/// <summary>What the coordinator knows of one consumer: how much more it may be sent, and what it holds.</summary>
/// <typeparam name="TClient">How the shell addresses a client (an actor reference in the actor, a plain value in specs).</typeparam>
internal sealed class ConsumerState<TClient>(TClient consumer)
    where TClient : class
{
    public TClient Ref { get; } = consumer;

    public ConsumerMode Mode { get; set; } = ConsumerMode.Credits;

    /// <summary>Unused credits granted by <see cref="QueueProtocol.Get"/> (<see cref="ConsumerMode.Credits"/> only).</summary>
    public int Credits { get; set; }

    /// <summary>Most undone items it may hold (<see cref="ConsumerMode.Window"/> only); 0 is a draining consumer.</summary>
    public int Window { get; set; }

    /// <summary>Whether it sits in the coordinator's line of waiting getters.</summary>
    public bool IsWaiting { get; set; }

    /// <summary>Current deliveries it holds, so they can be re-queued if it stops or reports them lost.</summary>
    public HashSet<long> InFlight { get; } = [];

    /// <summary>The highest delivery id sent to it: a request that has not seen it gets a <see cref="QueueProtocol.DeliveredUpTo"/> mark.</summary>
    public long LastDelivered { get; set; }

    /// <summary>How many more items it may be sent now.</summary>
    public int Available => Mode == ConsumerMode.Window ? Math.Max(0, Window - InFlight.Count) : Math.Max(0, Credits);
}
