using static ActorPipeline.Coordinator.Persistence.QueueEvents;
using static ActorPipeline.Coordinator.Serialization.WireValues;
using W = ActorPipeline.Coordinator.Wire;

namespace ActorPipeline.Coordinator.Serialization;

/// <summary>
/// The coordinator's snapshot as <see cref="W.CoordinatorSnapshot"/>. Its lists hold the coordinator's
/// state, not one message's worth, so they have the higher <see cref="QueueMessageSerializer.MaxStateListCount"/>.
/// </summary>
internal static class SnapshotFormat
{
    private const int StateLimit = QueueMessageSerializer.MaxStateListCount;

    public static W.CoordinatorSnapshot ToWire(CoordinatorSnapshot s) => new()
    {
        RunNumber = s.RunNumber,
        RunFinished = s.RunFinished,
        Incarnation = s.Incarnation,
        LastItemId = s.LastItemId,
        LastDeliveryId = s.LastDeliveryId,
        Accepted = s.Accepted,
        Completed = s.Completed,
        Dropped = s.Dropped,
        Redelivered = s.Redelivered,
        DuplicateAcks = s.DuplicateAcks,
        ShutDown = s.ShutDown,
        ShutDownImmediately = s.ShutDownImmediately,
        Items = { Out(s.Items, ToWire, "CoordinatorSnapshot.Items", StateLimit) },
        Producers = { Out(s.Producers, ToWire, "CoordinatorSnapshot.Producers") },
        DeadLetters = { Out(s.DeadLetters, Out, "CoordinatorSnapshot.DeadLetters", StateLimit) },
        Discarded = s.Discarded,
        EndedByOperator = s.EndedByOperator,
    };

    public static CoordinatorSnapshot FromWire(W.CoordinatorSnapshot s) => new(
        s.RunNumber,
        s.RunFinished,
        s.Incarnation,
        s.LastItemId,
        s.LastDeliveryId,
        s.Accepted,
        s.Completed,
        s.Dropped,
        s.Redelivered,
        s.DuplicateAcks,
        s.ShutDown,
        s.ShutDownImmediately,
        In(s.Items, FromWire, "CoordinatorSnapshot.Items", StateLimit),
        In(s.Producers, FromWire, "CoordinatorSnapshot.Producers"),
        In(s.DeadLetters, In, "CoordinatorSnapshot.DeadLetters", StateLimit),
        s.Discarded,
        s.EndedByOperator);

    private static W.SnapshotItem ToWire(SnapshotItem item, string field) => new()
    {
        Id = item.Id,
        Item = Out(item.Item, field),
        DeliveryIds = { Out(item.DeliveryIds, "CoordinatorSnapshot.Items.DeliveryIds") },
        CurrentDelivery = item.CurrentDelivery,
        Deliveries = item.Deliveries,
    };

    private static SnapshotItem FromWire(W.SnapshotItem item, string field) =>
        new(item.Id, In(item.Item, field), In(item.DeliveryIds, "CoordinatorSnapshot.Items.DeliveryIds"), item.CurrentDelivery, item.Deliveries);

    private static W.SnapshotProducer ToWire(SnapshotProducer p, string field) => new()
    {
        Id = Out(p.Id, "CoordinatorSnapshot.Producers.Id"),
        HighestAccepted = p.HighestAccepted,
        Accepted = p.Accepted,
        Announced = p.Announced,
        Done = p.Done,
        Lost = p.Lost,
        PartialSequenceNr = p.PartialSequenceNr,
        PartialAdmitted = p.PartialAdmitted,
        Node = Out(p.Node, "CoordinatorSnapshot.Producers.Node"),
        NodeProducers = p.NodeProducers,
        Stopped = p.Stopped,
    };

    private static SnapshotProducer FromWire(W.SnapshotProducer p, string field) => new(
        In(p.Id, "CoordinatorSnapshot.Producers.Id"),
        p.HighestAccepted,
        p.Accepted,
        p.Announced,
        p.Done,
        p.Lost,
        p.PartialSequenceNr,
        p.PartialAdmitted,
        In(p.Node, "CoordinatorSnapshot.Producers.Node"),
        NodeProducers(p.NodeProducers, "CoordinatorSnapshot.Producers.NodeProducers"),
        p.Stopped);
}
