using Akka.Actor;

namespace ActorPipeline.Coordinator;

/// <summary>A waiting put whose batch did not fit yet: <see cref="Admitted"/> of its items are in.</summary>
internal sealed class PendingPut(IActorRef putter, QueueProtocol.Put put, int admitted)
{
    public IActorRef Putter { get; } = putter;

    public QueueProtocol.Put Put { get; } = put;

    public int Admitted { get; set; } = admitted;
}
