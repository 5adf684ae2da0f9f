using Akka.Actor;

namespace ActorPipeline.Coordinator;

/// <summary>What the coordinator knows of one consumer: its unused credits and what it holds.</summary>
internal sealed class ConsumerState(IActorRef consumer)
{
    public IActorRef Ref { get; } = consumer;

    public int Credits { get; set; }

    /// <summary>Whether it sits in the coordinator's line of waiting getters.</summary>
    public bool IsWaiting { get; set; }

    /// <summary>Delivery ids handed to this consumer and not yet done, so they can be re-queued if it stops.</summary>
    public HashSet<long> InFlight { get; } = [];
}
