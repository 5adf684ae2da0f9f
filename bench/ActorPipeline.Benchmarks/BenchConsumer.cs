using Akka.Actor;
using static ActorPipeline.Coordinator.QueueProtocol;

namespace ActorPipeline.Benchmarks;

/// <summary>
/// A consumer speaking the real protocol at full speed: a credit window of <see cref="LoadSettings.Window"/>
/// items, the latency of every item recorded, and each delivery marked done with one task_done that names
/// all its delivery ids (the batched acknowledgement the protocol allows).
/// </summary>
public sealed class BenchConsumer : ReceiveActor
{
    private readonly IActorRef _coordinator;
    private readonly int _window;

    public BenchConsumer(IActorRef coordinator, int window, LatencySamples latencies)
    {
        _coordinator = coordinator;
        _window = window;
        Receive<LatencySamples>(fresh => latencies = fresh); // a new round: record into its samples
        Receive<Delivery>(delivery =>
        {
            var now = DateTime.UtcNow;
            var ids = new long[delivery.Items.Count];
            for (var i = 0; i < ids.Length; i++)
            {
                var item = delivery.Items[i];
                latencies.Record(now - item.Item.PutAt);
                ids[i] = item.DeliveryId;
            }

            _coordinator.Tell(new TaskDone(ids));
        });
    }

    public static Props Props(IActorRef coordinator, int window, LatencySamples latencies) =>
        Akka.Actor.Props.Create(() => new BenchConsumer(coordinator, window, latencies));

    protected override void PreStart() => _coordinator.Tell(new RequestWork(_window));
}
