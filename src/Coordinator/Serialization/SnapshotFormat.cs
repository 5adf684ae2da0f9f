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
        RunNumber = s.Totals.RunNumber,
        RunFinished = s.Totals.RunFinished,
        Incarnation = s.Totals.Incarnation,
        LastItemId = s.Totals.LastItemId,
        LastDeliveryId = s.Totals.LastDeliveryId,
        Accepted = s.Totals.Accepted,
        Completed = s.Totals.Completed,
        Dropped = s.Totals.Dropped,
        Redelivered = s.Totals.Redelivered,
        DuplicateAcks = s.Totals.DuplicateAcks,
        ShutDown = s.Totals.Mode != QueueMode.Open,
        ShutDownImmediately = s.Totals.Mode == QueueMode.ShutDownImmediately,
        Items = { Out(s.Items, ToWire, "CoordinatorSnapshot.Items", StateLimit) },
        Producers = { Out(s.Producers, ToWire, "CoordinatorSnapshot.Producers") },
        DeadLetters = { Out(s.DeadLetters, Out, "CoordinatorSnapshot.DeadLetters", StateLimit) },
        Discarded = s.Totals.Discarded,
        EndedByOperator = s.Totals.EndedByOperator,
        Jobs = { Out(s.Jobs, JobFormats.ToWire, "CoordinatorSnapshot.Jobs", StateLimit) },
    };

    public static CoordinatorSnapshot FromWire(W.CoordinatorSnapshot s) => new(
        new QueueTotals
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
            Discarded = s.Discarded,
            EndedByOperator = s.EndedByOperator,
            Mode = s.ShutDownImmediately ? QueueMode.ShutDownImmediately : s.ShutDown ? QueueMode.ShutDown : QueueMode.Open,
        },
        In(s.Items, FromWire, "CoordinatorSnapshot.Items", StateLimit),
        In(s.Producers, FromWire, "CoordinatorSnapshot.Producers"),
        In(s.DeadLetters, In, "CoordinatorSnapshot.DeadLetters", StateLimit),
        In(s.Jobs, JobFormats.FromWire, "CoordinatorSnapshot.Jobs", StateLimit));

    private static W.SnapshotItem ToWire(SnapshotItem item, string field) => new()
    {
        Id = item.Id,
        Item = Out(item.Item, field),
        DeliveryIds = { Out(item.DeliveryIds, "CoordinatorSnapshot.Items.DeliveryIds") },
        CurrentDelivery = item.CurrentDelivery,
        Deliveries = item.Deliveries,
        Job = OutJob(item.Job, field),
    };

    private static SnapshotItem FromWire(W.SnapshotItem item, string field) =>
        new(item.Id, In(item.Item, field), In(item.DeliveryIds, "CoordinatorSnapshot.Items.DeliveryIds"), item.CurrentDelivery, item.Deliveries, InJob(item.Job, field));

    private static W.SnapshotProducer ToWire(SnapshotProducer p, string field) => new()
    {
        Id = Out(p.Id, "CoordinatorSnapshot.Producers.Id"),
        HighestAccepted = p.HighestAccepted,
        Accepted = p.Accepted,
        Announced = p.Announced,

        // The wire keeps the flags it always had (older snapshots read the same); the phase is one value in C#.
        Done = p.Phase == ProducerPhase.Done,
        Lost = p.Phase == ProducerPhase.Lost,
        Stopped = p.Phase == ProducerPhase.Stopped,
        PartialSequenceNr = p.PartialSequenceNr,
        PartialAdmitted = p.PartialAdmitted,
        Node = Out(p.Node, "CoordinatorSnapshot.Producers.Node"),
        NodeProducers = p.NodeProducers,
        Job = p.Job is null ? string.Empty : Out(p.Job, "CoordinatorSnapshot.Producers.Job"), // "run" written out: empty is no job yet
    };

    private static SnapshotProducer FromWire(W.SnapshotProducer p, string field) => new(
        In(p.Id, "CoordinatorSnapshot.Producers.Id"),
        p.HighestAccepted,
        p.Accepted,
        p.Announced,
        PhaseOf(p),
        p.PartialSequenceNr,
        p.PartialAdmitted,
        In(p.Node, "CoordinatorSnapshot.Producers.Node"),
        NodeProducers(p.NodeProducers, "CoordinatorSnapshot.Producers.NodeProducers"),
        p.Job.Length > 0 ? In(p.Job, "CoordinatorSnapshot.Producers.Job") : null);

    private static ProducerPhase PhaseOf(W.SnapshotProducer p) =>
        p.Done ? ProducerPhase.Done
        : p.Lost ? ProducerPhase.Lost
        : p.Stopped ? ProducerPhase.Stopped
        : p.Announced ? ProducerPhase.Active
        : ProducerPhase.Unregistered;
}
