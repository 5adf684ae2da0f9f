using static ActorPipeline.Coordinator.Persistence.QueueEvents;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;
using static ActorPipeline.Coordinator.Serialization.WireValues;
using W = ActorPipeline.Coordinator.Wire;

namespace ActorPipeline.Coordinator.Serialization;

/// <summary>
/// Every record the queue serializer carries, each once: its manifest (short, since it travels with
/// every message; no type name ever travels or is stored) and its mapping to and from its generated
/// type in <c>Protos/</c>. The names in the mappings are for error messages only.
/// </summary>
internal static class QueueFormats
{
    private const int StateLimit = QueueMessageSerializer.MaxStateListCount;

    private static readonly W.Signal NoFields = new();

    /// <summary>The chattiest first (the type lookup does not care, but a reader looks here first).</summary>
    public static IReadOnlyList<QueueFormat> All { get; } =
    [
        // ---- the protocol
        Format<Put, W.Put>(
            "P",
            m => new() { ProducerId = Out(m.ProducerId, "Put.ProducerId"), SequenceNr = m.SequenceNr, Items = Out(m.Items, "Put.Items"), Wait = m.Wait, Job = OutJob(m.Job, "Put.Job") },
            w => new(In(w.ProducerId, "Put.ProducerId"), w.SequenceNr, In(w.Items, "Put.Items"), w.Wait, InJob(w.Job, "Put.Job"))),
        Format<PutAccepted, W.PutAccepted>(
            "PA",
            m => new() { ProducerId = Out(m.ProducerId, "PutAccepted.ProducerId"), SequenceNr = m.SequenceNr, Count = m.Count },
            w => new(In(w.ProducerId, "PutAccepted.ProducerId"), w.SequenceNr, w.Count)),
        Format<Delivery, W.Delivery>("D", ToWire, FromWire),
        Format<TaskDone, W.TaskDone>(
            "TD",
            m => new() { DeliveryIds = { Out(m.DeliveryIds, "TaskDone.DeliveryIds") } },
            w => new(In(w.DeliveryIds, "TaskDone.DeliveryIds"))),
        Format<RequestWork, W.RequestWork>(
            "RW",
            m => new() { Window = m.Window, Held = { Out(m.Held, "RequestWork.Held") }, LastSeen = m.LastSeen },
            w => new(w.Window, In(w.Held, "RequestWork.Held"), w.LastSeen)),
        Format<DeliveredUpTo, W.DeliveredUpTo>("DU", m => new() { LastDeliveryId = m.LastDeliveryId }, w => new(w.LastDeliveryId)),
        Format<Get, W.Get>("G", m => new() { Credits = m.Credits, Wait = m.Wait }, w => new(w.Credits, w.Wait)),
        Format<PutRejected, W.PutRejected>(
            "PR",
            m => new() { ProducerId = Out(m.ProducerId, "PutRejected.ProducerId"), SequenceNr = m.SequenceNr, Reason = Out(m.Reason), Accepted = m.Accepted },
            w => new(In(w.ProducerId, "PutRejected.ProducerId"), w.SequenceNr, In(w.Reason), w.Accepted)),
        Format<RegisterProducer, W.RegisterProducer>(
            "RP",
            m => new() { ProducerId = Out(m.ProducerId, "RegisterProducer.ProducerId"), Node = Out(m.Node, "RegisterProducer.Node"), NodeProducers = m.NodeProducers },
            w => new(In(w.ProducerId, "RegisterProducer.ProducerId"), In(w.Node, "RegisterProducer.Node"), NodeProducers(w.NodeProducers, "RegisterProducer.NodeProducers"))),
        Format<ProducerRegistered, W.ProducerRegistered>(
            "RPA",
            m => new() { ProducerId = Out(m.ProducerId, "ProducerRegistered.ProducerId"), LastAcceptedSequenceNr = m.LastAcceptedSequenceNr, AcceptedItems = m.AcceptedItems },
            w => new(In(w.ProducerId, "ProducerRegistered.ProducerId"), w.LastAcceptedSequenceNr, w.AcceptedItems)),
        Format<ProducerDone, W.ProducerDone>(
            "PD",
            m => new() { ProducerId = Out(m.ProducerId, "ProducerDone.ProducerId"), LastSequenceNr = m.LastSequenceNr },
            w => new(In(w.ProducerId, "ProducerDone.ProducerId"), w.LastSequenceNr)),
        Format<ProducerStopped, W.ProducerStopped>(
            "PS",
            m => new() { ProducerId = Out(m.ProducerId, "ProducerStopped.ProducerId"), LastSequenceNr = m.LastSequenceNr },
            w => new(In(w.ProducerId, "ProducerStopped.ProducerId"), w.LastSequenceNr)),
        Format<WithdrawPut, W.WithdrawPut>(
            "WP",
            m => new() { ProducerId = Out(m.ProducerId, "WithdrawPut.ProducerId"), SequenceNr = m.SequenceNr },
            w => new(In(w.ProducerId, "WithdrawPut.ProducerId"), w.SequenceNr)),
        Format<ProducerDoneAck, W.ProducerDoneAck>(
            "PDA",
            m => new() { ProducerId = Out(m.ProducerId, "ProducerDoneAck.ProducerId") },
            w => new(In(w.ProducerId, "ProducerDoneAck.ProducerId"))),
        Signal("CG", CancelGet.Instance),
        Format<GetCancelled, W.GetCancelled>("GC", m => new() { Credits = m.Credits }, w => new(w.Credits)),
        Signal("QE", QueueEmpty.Instance),
        Signal("QSD", QueueShutDown.Instance),
        Format<TaskDoneRejected, W.TaskDoneRejected>(
            "TDR",
            m => new() { DeliveryId = m.DeliveryId, Reason = Out(m.Reason, "TaskDoneRejected.Reason") },
            w => new(w.DeliveryId, In(w.Reason, "TaskDoneRejected.Reason"))),
        Format<Release, W.Release>(
            "RL",
            m => new() { DeliveryIds = { Out(m.DeliveryIds, "Release.DeliveryIds") } },
            w => new(In(w.DeliveryIds, "Release.DeliveryIds"))),
        Format<TaskFailed, W.TaskFailed>(
            "TF",
            m => new() { DeliveryId = m.DeliveryId, Attempts = m.Attempts, Error = Out(m.Error, "TaskFailed.Error") },
            w => new(w.DeliveryId, w.Attempts, In(w.Error, "TaskFailed.Error"))),
        Signal("J", Join.Instance),
        Signal("JD", Joined.Instance),
        Signal("JR", JoinRun.Instance),
        Format<RunCompleted, W.RunCompleted>("RC", m => new() { Status = ToWire(m.Status) }, w => new(FromWire(Required(w.Status, "RunCompleted.Status")))),
        Signal("GS", GetStatus.Instance),
        Format<QueueStatus, W.QueueStatus>("QS", ToWire, FromWire),
        Signal("GO", GetOverview.Instance),
        Format<QueueOverview, W.QueueOverview>(
            "QO",
            m => new()
            {
                Status = ToWire(m.Status),
                Consumers = { Out(m.Consumers, Out, "QueueOverview.Consumers") },
                Producers = { Out(m.Producers, Out, "QueueOverview.Producers") },
                Latency = Out(m.Latency),
                NewestDeadLetters = { Out(m.NewestDeadLetters, Out, "QueueOverview.NewestDeadLetters") },
            },
            w => new(
                FromWire(Required(w.Status, "QueueOverview.Status")),
                In(w.Consumers, In, "QueueOverview.Consumers"),
                In(w.Producers, In, "QueueOverview.Producers"),
                In(Required(w.Latency, "QueueOverview.Latency")),
                In(w.NewestDeadLetters, In, "QueueOverview.NewestDeadLetters"))),
        Signal("GDL", GetDeadLetters.Instance),
        Format<DeadLetters, W.DeadLetters>(
            "DL",
            m => new() { Items = { Out(m.Items, Out, "DeadLetters.Items") } },
            w => new(In(w.Items, In, "DeadLetters.Items"))),
        Format<Shutdown, W.Shutdown>("SD", m => new() { Immediate = m.Immediate }, w => new(w.Immediate)),
        Format<ShutdownAck, W.ShutdownAck>("SDA", m => new() { Dropped = m.Dropped }, w => new(w.Dropped)),
        Format<RequeueDeadLetters, W.RequeueDeadLetters>(
            "RDL",
            m => new() { ItemIds = { Out(m.ItemIds, "RequeueDeadLetters.ItemIds") } },
            w => new(In(w.ItemIds, "RequeueDeadLetters.ItemIds"))),
        Format<DeadLettersRequeuedAck, W.DeadLettersRequeuedAck>("RDA", m => new() { Count = m.Count }, w => new(w.Count)),
        Format<DiscardDeadLetters, W.DiscardDeadLetters>(
            "DDL",
            m => new() { ItemIds = { Out(m.ItemIds, "DiscardDeadLetters.ItemIds") } },
            w => new(In(w.ItemIds, "DiscardDeadLetters.ItemIds"))),
        Format<DeadLettersDiscardedAck, W.DeadLettersDiscardedAck>("DDA", m => new() { Count = m.Count }, w => new(w.Count)),
        Format<EndRun, W.EndRun>("RE", m => new() { RequestedBy = Out(m.RequestedBy, "EndRun.RequestedBy") }, w => new(In(w.RequestedBy, "EndRun.RequestedBy"))),
        Format<RunEndAck, W.RunEndAck>(
            "REA",
            m => new() { ProducersEnded = m.ProducersEnded, Unfinished = m.Unfinished, AlreadyOver = m.AlreadyOver },
            w => new(w.ProducersEnded, w.Unfinished, w.AlreadyOver)),
        .. JobFormats.Messages,

        // ---- the journal: events start with 'E', the snapshot is "S"
        Format<EventGroup, W.EventGroup>("EG", EventGroupFormat.ToWire, EventGroupFormat.FromWire),
        Format<ItemsAccepted, W.ItemsAccepted>(
            "EIA",
            m => new()
            {
                ProducerId = Out(m.ProducerId, "ItemsAccepted.ProducerId"), SequenceNr = m.SequenceNr, FirstItemId = m.FirstItemId,
                Items = Out(m.Items, "ItemsAccepted.Items"), PutComplete = m.PutComplete, Job = OutJob(m.Job, "ItemsAccepted.Job"),
            },
            w => new(In(w.ProducerId, "ItemsAccepted.ProducerId"), w.SequenceNr, w.FirstItemId, In(w.Items, "ItemsAccepted.Items"), w.PutComplete, InJob(w.Job, "ItemsAccepted.Job"))),
        Format<ItemsDelivered, W.ItemsDelivered>(
            "EID",
            m => new() { FirstDeliveryId = m.FirstDeliveryId, ItemIds = { Out(m.ItemIds, "ItemsDelivered.ItemIds") } },
            w => new(w.FirstDeliveryId, In(w.ItemIds, "ItemsDelivered.ItemIds"))),
        Format<ItemsCompleted, W.ItemsCompleted>(
            "EIC",
            m => new() { ItemIds = { Out(m.ItemIds, "ItemsCompleted.ItemIds") } },
            w => new(In(w.ItemIds, "ItemsCompleted.ItemIds"))),
        Format<ItemsRequeued, W.ItemsRequeued>(
            "EIR",
            m => new() { DeliveryIds = { Out(m.DeliveryIds, "ItemsRequeued.DeliveryIds") } },
            w => new(In(w.DeliveryIds, "ItemsRequeued.DeliveryIds"))),
        Format<AcksIgnored, W.AcksIgnored>("EAI", m => new() { Count = m.Count }, w => new(w.Count)),
        Format<ItemDeadLettered, W.ItemDeadLettered>(
            "EDL",
            m => new() { ItemId = m.ItemId, DeliveryId = m.DeliveryId, Attempts = m.Attempts, Error = Out(m.Error, "ItemDeadLettered.Error") },
            w => new(w.ItemId, w.DeliveryId, w.Attempts, In(w.Error, "ItemDeadLettered.Error"))),
        Format<DeadLettersRequeued, W.DeadLettersRequeued>(
            "EDR",
            m => new() { ItemIds = { Out(m.ItemIds, "DeadLettersRequeued.ItemIds", StateLimit) } }, // a requeue of every dead letter
            w => new(In(w.ItemIds, "DeadLettersRequeued.ItemIds", StateLimit))),
        Format<ProducerAnnounced, W.ProducerAnnounced>(
            "EPA",
            m => new() { ProducerId = Out(m.ProducerId, "ProducerAnnounced.ProducerId"), Node = Out(m.Node, "ProducerAnnounced.Node"), NodeProducers = m.NodeProducers },
            w => new(In(w.ProducerId, "ProducerAnnounced.ProducerId"), In(w.Node, "ProducerAnnounced.Node"), NodeProducers(w.NodeProducers, "ProducerAnnounced.NodeProducers"))),
        Format<ProducerCompleted, W.ProducerCompleted>(
            "EPC",
            m => new() { ProducerId = Out(m.ProducerId, "ProducerCompleted.ProducerId") },
            w => new(In(w.ProducerId, "ProducerCompleted.ProducerId"))),
        Format<ProducerSuspended, W.ProducerSuspended>(
            "EPS",
            m => new() { ProducerId = Out(m.ProducerId, "ProducerSuspended.ProducerId") },
            w => new(In(w.ProducerId, "ProducerSuspended.ProducerId"))),
        Format<ProducerLost, W.ProducerLost>(
            "EPL",
            m => new() { ProducerId = Out(m.ProducerId, "ProducerLost.ProducerId") },
            w => new(In(w.ProducerId, "ProducerLost.ProducerId"))),
        Format<ShutdownRequested, W.ShutdownRequested>("ESR", m => new() { Immediate = m.Immediate }, w => new(w.Immediate)),
        Format<IncarnationStarted, W.IncarnationStarted>("EIS", m => new() { Incarnation = m.Incarnation }, w => new(w.Incarnation)),
        Format<RunFinished, W.RunFinished>("ERF", m => new() { RunNumber = m.RunNumber }, w => new(w.RunNumber)),
        Format<RunStarted, W.RunStarted>("ERS", m => new() { RunNumber = m.RunNumber }, w => new(w.RunNumber)),
        Format<DeadLettersDiscarded, W.DeadLettersDiscarded>(
            "EDD",
            m => new() { ItemIds = { Out(m.ItemIds, "DeadLettersDiscarded.ItemIds", StateLimit) } }, // a discard of every dead letter
            w => new(In(w.ItemIds, "DeadLettersDiscarded.ItemIds", StateLimit))),
        Format<RunEndedByOperator, W.RunEndedByOperator>(
            "ERE",
            m => new() { RequestedBy = Out(m.RequestedBy, "RunEndedByOperator.RequestedBy") },
            w => new(In(w.RequestedBy, "RunEndedByOperator.RequestedBy"))),
        .. JobFormats.Events,
        Format<CoordinatorSnapshot, W.CoordinatorSnapshot>("S", SnapshotFormat.ToWire, SnapshotFormat.FromWire),
    ];

    private static readonly Dictionary<Type, QueueFormat> ByRecordType = All.ToDictionary(f => f.RecordType);
    private static readonly Dictionary<string, QueueFormat> ByManifest = All.ToDictionary(f => f.Manifest, StringComparer.Ordinal);
    private static readonly Dictionary<Type, QueueFormat> ByWireType = All.Where(f => f.WireType != typeof(W.Signal)).ToDictionary(f => f.WireType);

    public static QueueFormat? ForRecord(object record) => ByRecordType.GetValueOrDefault(record.GetType());

    public static QueueFormat? ForManifest(string manifest) => ByManifest.GetValueOrDefault(manifest);

    /// <summary>The format of a generated type; <see cref="W.Signal"/> carries several records and is not looked up.</summary>
    public static QueueFormat? ForWire(Type wireType) => ByWireType.GetValueOrDefault(wireType);

    internal static QueueFormat<TRecord, TWire> Format<TRecord, TWire>(string manifest, Func<TRecord, TWire> toWire, Func<TWire, TRecord> fromWire)
        where TRecord : class
        where TWire : Google.Protobuf.IMessage<TWire>, new() =>
        new(manifest, toWire, fromWire);

    /// <summary>A message without fields: an empty body, read back as its one instance.</summary>
    internal static QueueFormat<T, W.Signal> Signal<T>(string manifest, T instance)
        where T : class =>
        new(manifest, _ => NoFields, _ => instance);

    private static W.Delivery ToWire(Delivery m)
    {
        var wire = new W.Delivery { Items = Out(m.Items, "Delivery.Items") };
        var ids = wire.DeliveryIds;
        var itemIds = wire.ItemIds;
        var counts = wire.DeliveryCounts;
        ids.Capacity = itemIds.Capacity = counts.Capacity = m.Items.Count;
        for (var i = 0; i < m.Items.Count; i++)
        {
            ids.Add(m.Items[i].DeliveryId);
            itemIds.Add(m.Items[i].ItemId);
            counts.Add(m.Items[i].DeliveryCount);
        }

        return wire;
    }

    private static Delivery FromWire(W.Delivery w)
    {
        var items = In(w.Items, "Delivery.Items");
        if (items.Length != w.DeliveryIds.Count)
        {
            throw new WireFormatException($"Delivery has {w.DeliveryIds.Count} delivery ids but {items.Length} items");
        }

        if (w.ItemIds.Count != items.Length || w.DeliveryCounts.Count != items.Length)
        {
            throw new WireFormatException($"Delivery has {items.Length} items but {w.ItemIds.Count} item ids and {w.DeliveryCounts.Count} delivery counts");
        }

        var delivered = new DeliveredItem[items.Length];
        for (var i = 0; i < delivered.Length; i++)
        {
            delivered[i] = new DeliveredItem(w.DeliveryIds[i], items[i], w.ItemIds[i], w.DeliveryCounts[i]);
        }

        return new Delivery(delivered);
    }

    private static W.QueueStatus ToWire(QueueStatus s) => new()
    {
        Size = s.Size,
        InFlight = s.InFlight,
        Capacity = s.Capacity,
        IsShutDown = s.IsShutDown,
        Accepted = s.Accepted,
        Completed = s.Completed,
        DeadLettered = s.DeadLettered,
        Dropped = s.Dropped,
        Redelivered = s.Redelivered,
        ParkedPuts = s.ParkedPuts,
        WaitingGetters = s.WaitingGetters,
        DuplicateAcks = s.DuplicateAcks,
        Consumers = s.Consumers,
        ExpectedProducers = s.ExpectedProducers,
        ProducersRegistered = s.ProducersRegistered,
        ProducersDone = s.ProducersDone,
        ProducersLost = s.ProducersLost,
        Discarded = s.Discarded,
        EndedByOperator = s.EndedByOperator,
        IsRunComplete = s.IsRunComplete,
    };

    private static QueueStatus FromWire(W.QueueStatus s) => new(
        s.Size, s.InFlight, s.Capacity, s.IsShutDown, s.Accepted, s.Completed, s.DeadLettered, s.Dropped, s.Redelivered,
        s.ParkedPuts, s.WaitingGetters, s.DuplicateAcks, s.Consumers, s.ExpectedProducers, s.ProducersRegistered, s.ProducersDone, s.ProducersLost,
        s.Discarded, s.EndedByOperator, s.IsRunComplete);
}
