using Akka.Actor;

namespace ActorPipeline.Coordinator;

/// <summary>What the coordinator knows of one consumer: how much more it may be sent, and what it holds.</summary>
internal sealed class ConsumerState(IActorRef consumer)
{
    public IActorRef Ref { get; } = consumer;

    /// <summary>Unused credits granted by <see cref="QueueProtocol.Get"/> (asyncio-style, incremental).</summary>
    public int Credits { get; set; }

    /// <summary>Most undone items it may hold, from <see cref="QueueProtocol.RequestWork"/>; 0 in credit mode.</summary>
    public int Window { get; set; }

    /// <summary>Whether it sits in the coordinator's line of waiting getters.</summary>
    public bool IsWaiting { get; set; }

    /// <summary>Current deliveries it holds, so they can be re-queued if it stops.</summary>
    public HashSet<long> InFlight { get; } = [];

    /// <summary>How many more items it may be sent now.</summary>
    public int Available => Window > 0 ? Math.Max(0, Window - InFlight.Count) : Math.Max(0, Credits);
}
