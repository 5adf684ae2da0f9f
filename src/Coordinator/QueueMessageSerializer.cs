using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using static ActorPipeline.Coordinator.QueueEvents;
using static ActorPipeline.Coordinator.QueueProtocol;

namespace ActorPipeline.Coordinator;

/// <summary>
/// The wire format of every <see cref="QueueProtocol"/> message and of every <see cref="QueueEvents"/>
/// journal event and snapshot: a short manifest names the type (no type name ever travels or is stored)
/// and a compact little-endian body carries the fields in declaration order.
/// </summary>
/// <remarks>
/// <para>
/// Body encoding: <c>int</c> 4 bytes, <c>long</c> 8 bytes, <c>bool</c> one byte 0/1, an enum one byte,
/// a <see cref="DateTime"/> its UTC ticks as a <c>long</c>, a string an <c>int</c> byte length and UTF-8,
/// a payload an <c>int</c> length and the bytes, a list an <c>int</c> count and its entries. A
/// <see cref="QueueItem"/> is its payload then its put time; nested records are written inline.
/// Singletons have an empty body.
/// </para>
/// <para>
/// Journal data outlives the code that wrote it, so every event and snapshot (an <see cref="IQueueEvent"/>)
/// starts with a one-byte format version, <see cref="FormatVersion"/>, before its fields; a version this
/// code does not know is refused rather than guessed at. Their manifests start with <c>E</c> (events) or
/// are <c>S</c> (the snapshot), which no protocol manifest does; protocol messages carry no version, since
/// they live only as long as a connection.
/// </para>
/// <para>
/// Reading is defensive, since the bytes come from the network or from storage: anything malformed
/// (unknown manifest or format version, truncation, trailing bytes, a length or count that is negative,
/// over its limit or beyond the bytes left, an enum or bool byte out of range, invalid UTF-8, ticks out of
/// range) is a <see cref="SerializationException"/>, which remoting treats as transient and drops the
/// message, and which fails a persistent actor's recovery instead of handing it wrong state.
/// </para>
/// </remarks>
public sealed class QueueMessageSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>Longest item payload either side accepts.</summary>
    public const int MaxPayloadBytes = 16 * 1024 * 1024;

    /// <summary>Longest string (as UTF-8) either side accepts: ids, reasons, errors.</summary>
    public const int MaxStringBytes = 64 * 1024;

    /// <summary>Most entries in one list (items, delivery ids, dead letters) either side accepts.</summary>
    public const int MaxListCount = 1_000_000;

    /// <summary>
    /// Most entries in a list that holds the coordinator's state rather than one message's worth: a
    /// snapshot's items and dead letters, and the item ids a requeue of every dead letter moves. A queue
    /// may hold millions of items; the whole snapshot must still fit one array (about 2 GB).
    /// </summary>
    public const int MaxStateListCount = 50_000_000;

    /// <summary>
    /// Largest protocol message either side accepts, whatever its manifest. The Host sizes Akka's
    /// remoting frame from the item limit and never beyond this, so a peer cannot make us buffer more.
    /// </summary>
    public const int MaxMessageBytes = 256 * 1024 * 1024;

    /// <summary>The format version every journal event starts with; the only one this code reads for events.</summary>
    public const byte FormatVersion = 1;

    /// <summary>
    /// The snapshot's format version. Version 2 added the redelivered and duplicate-ack counts, each
    /// item's current delivery and each producer's partly admitted put; a version 1 snapshot is still read, with those as zero and none.
    /// </summary>
    public const byte SnapshotFormatVersion = 2;

    private const string PutManifest = "P";
    private const string PutAcceptedManifest = "PA";
    private const string PutRejectedManifest = "PR";
    private const string RegisterProducerManifest = "RP";
    private const string ProducerRegisteredManifest = "RPA";
    private const string ProducerDoneManifest = "PD";
    private const string ProducerDoneAckManifest = "PDA";
    private const string GetManifest = "G";
    private const string RequestWorkManifest = "RW";
    private const string DeliveredUpToManifest = "DU";
    private const string DeliveryManifest = "D";
    private const string CancelGetManifest = "CG";
    private const string GetCancelledManifest = "GC";
    private const string QueueEmptyManifest = "QE";
    private const string QueueShutDownManifest = "QSD";
    private const string TaskDoneManifest = "TD";
    private const string TaskDoneRejectedManifest = "TDR";
    private const string ReleaseManifest = "RL";
    private const string TaskFailedManifest = "TF";
    private const string JoinManifest = "J";
    private const string JoinedManifest = "JD";
    private const string JoinRunManifest = "JR";
    private const string RunCompletedManifest = "RC";
    private const string GetStatusManifest = "GS";
    private const string QueueStatusManifest = "QS";
    private const string GetDeadLettersManifest = "GDL";
    private const string DeadLettersManifest = "DL";
    private const string ShutdownManifest = "SD";
    private const string ShutdownAckManifest = "SDA";
    private const string RequeueDeadLettersManifest = "RDL";
    private const string DeadLettersRequeuedAckManifest = "RDA";

    // Journal manifests: events start with 'E', the snapshot is "S" (see IsJournalManifest).
    private const string ItemsAcceptedManifest = "EIA";
    private const string ItemsDeliveredManifest = "EID";
    private const string ItemsCompletedManifest = "EIC";
    private const string ItemsRequeuedManifest = "EIR";
    private const string AcksIgnoredManifest = "EAI";
    private const string ItemDeadLetteredManifest = "EDL";
    private const string DeadLettersRequeuedManifest = "EDR";
    private const string ProducerAnnouncedManifest = "EPA";
    private const string ProducerCompletedManifest = "EPC";
    private const string ProducerLostManifest = "EPL";
    private const string ShutdownRequestedManifest = "ESR";
    private const string IncarnationStartedManifest = "EIS";
    private const string RunFinishedManifest = "ERF";
    private const string RunStartedManifest = "ERS";
    private const string CoordinatorSnapshotManifest = "S";

    // Least bytes each list entry takes on the wire, so a count can be checked against the bytes left.
    private const int QueueItemMinBytes = sizeof(int) + sizeof(long);
    private const int DeliveredItemMinBytes = sizeof(long) + QueueItemMinBytes;
    private const int DeadLetteredItemMinBytes = sizeof(long) + sizeof(long) + QueueItemMinBytes + sizeof(int) + sizeof(int);
    private const int SnapshotItemMinBytes = sizeof(long) + QueueItemMinBytes + sizeof(int);
    private const int SnapshotProducerMinBytes = sizeof(int) + sizeof(long) + sizeof(long) + (3 * sizeof(bool));

    /// <summary>Fixed, so that every node agrees on it without configuration; 0-100 belong to Akka.</summary>
    public override int Identifier => 7341;

    public override string Manifest(object o) => o switch
    {
        // The chattiest messages first: a type switch tests the cases in order.
        Put => PutManifest,
        PutAccepted => PutAcceptedManifest,
        Delivery => DeliveryManifest,
        TaskDone => TaskDoneManifest,
        RequestWork => RequestWorkManifest,
        DeliveredUpTo => DeliveredUpToManifest,
        Get => GetManifest,
        PutRejected => PutRejectedManifest,
        RegisterProducer => RegisterProducerManifest,
        ProducerRegistered => ProducerRegisteredManifest,
        ProducerDone => ProducerDoneManifest,
        ProducerDoneAck => ProducerDoneAckManifest,
        CancelGet => CancelGetManifest,
        GetCancelled => GetCancelledManifest,
        QueueEmpty => QueueEmptyManifest,
        QueueShutDown => QueueShutDownManifest,
        TaskDoneRejected => TaskDoneRejectedManifest,
        Release => ReleaseManifest,
        TaskFailed => TaskFailedManifest,
        Join => JoinManifest,
        Joined => JoinedManifest,
        JoinRun => JoinRunManifest,
        RunCompleted => RunCompletedManifest,
        GetStatus => GetStatusManifest,
        QueueStatus => QueueStatusManifest,
        GetDeadLetters => GetDeadLettersManifest,
        DeadLetters => DeadLettersManifest,
        Shutdown => ShutdownManifest,
        ShutdownAck => ShutdownAckManifest,
        RequeueDeadLetters => RequeueDeadLettersManifest,
        DeadLettersRequeuedAck => DeadLettersRequeuedAckManifest,

        // The journal, most frequent first.
        ItemsAccepted => ItemsAcceptedManifest,
        ItemsDelivered => ItemsDeliveredManifest,
        ItemsCompleted => ItemsCompletedManifest,
        ItemsRequeued => ItemsRequeuedManifest,
        AcksIgnored => AcksIgnoredManifest,
        ItemDeadLettered => ItemDeadLetteredManifest,
        DeadLettersRequeued => DeadLettersRequeuedManifest,
        ProducerAnnounced => ProducerAnnouncedManifest,
        ProducerCompleted => ProducerCompletedManifest,
        ProducerLost => ProducerLostManifest,
        ShutdownRequested => ShutdownRequestedManifest,
        IncarnationStarted => IncarnationStartedManifest,
        RunFinished => RunFinishedManifest,
        RunStarted => RunStartedManifest,
        CoordinatorSnapshot => CoordinatorSnapshotManifest,
        _ => throw UnknownType(o),
    };

    public override byte[] ToBinary(object obj)
    {
        var measuring = WireWriter.Measuring();
        Write(ref measuring, obj);
        if (measuring.Position == 0)
        {
            return [];
        }

        var bytes = new byte[measuring.Position];
        var writer = WireWriter.Over(bytes);
        Write(ref writer, obj);
        return bytes;
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        var reader = new WireReader(bytes, manifest);
        if (bytes.Length > MaxMessageBytes && !IsJournalManifest(manifest))
        {
            throw reader.Malformed($"oversized: {bytes.Length} bytes, over the limit of {MaxMessageBytes} for one message");
        }

        object message;
        try
        {
            message = IsJournalManifest(manifest) ? ReadJournal(ref reader, manifest) : Read(ref reader, manifest);
        }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentException or OverflowException)
        {
            // The reader checks before it reads, so this is a gap in those checks; it must still not
            // escape as anything remoting would treat as a broken connection.
            throw reader.Malformed(e.Message, e);
        }

        reader.EnsureEnd();
        return message;
    }

    /// <summary>
    /// Whether a manifest names a journal event or snapshot, whose payload starts with the format
    /// version: events' manifests start with 'E', the snapshot's is "S", and no protocol manifest does either.
    /// </summary>
    private static bool IsJournalManifest(string manifest) =>
        manifest.StartsWith('E') || manifest == CoordinatorSnapshotManifest;

    private static void Write(ref WireWriter w, object obj)
    {
        switch (obj)
        {
            case Put m:
                w.WriteString(m.ProducerId, "Put.ProducerId");
                w.WriteInt64(m.SequenceNr);
                w.WriteCount(m.Items.Count, "Put.Items");
                for (var i = 0; i < m.Items.Count; i++)
                {
                    WriteItem(ref w, m.Items[i]);
                }

                w.WriteBool(m.Wait);
                break;
            case PutAccepted m:
                w.WriteString(m.ProducerId, "PutAccepted.ProducerId");
                w.WriteInt64(m.SequenceNr);
                w.WriteInt32(m.Count);
                break;
            case Delivery m:
                w.WriteCount(m.Items.Count, "Delivery.Items");
                for (var i = 0; i < m.Items.Count; i++)
                {
                    var delivered = m.Items[i];
                    w.WriteInt64(delivered.DeliveryId);
                    WriteItem(ref w, delivered.Item);
                }

                break;
            case TaskDone m:
                WriteIds(ref w, m.DeliveryIds, "TaskDone.DeliveryIds");
                break;
            case RequestWork m:
                w.WriteInt32(m.Window);
                WriteIds(ref w, m.Held, "RequestWork.Held");
                w.WriteInt64(m.LastSeen);
                break;
            case DeliveredUpTo m:
                w.WriteInt64(m.LastDeliveryId);
                break;
            case Get m:
                w.WriteInt32(m.Credits);
                w.WriteBool(m.Wait);
                break;
            case PutRejected m:
                w.WriteString(m.ProducerId, "PutRejected.ProducerId");
                w.WriteInt64(m.SequenceNr);
                w.WriteByte(m.Reason switch
                {
                    PutRejection.Full => 0,
                    PutRejection.ShutDown => 1,
                    PutRejection.TooLarge => 2,
                    _ => throw new SerializationException($"Cannot serialize PutRejected.Reason {(int)m.Reason}: not a defined {nameof(PutRejection)}."),
                });
                w.WriteInt32(m.Accepted);
                break;
            case RegisterProducer m:
                w.WriteString(m.ProducerId, "RegisterProducer.ProducerId");
                break;
            case ProducerRegistered m:
                w.WriteString(m.ProducerId, "ProducerRegistered.ProducerId");
                w.WriteInt64(m.LastAcceptedSequenceNr);
                break;
            case ProducerDone m:
                w.WriteString(m.ProducerId, "ProducerDone.ProducerId");
                w.WriteInt64(m.LastSequenceNr);
                break;
            case ProducerDoneAck m:
                w.WriteString(m.ProducerId, "ProducerDoneAck.ProducerId");
                break;
            case GetCancelled m:
                w.WriteInt32(m.Credits);
                break;
            case TaskDoneRejected m:
                w.WriteInt64(m.DeliveryId);
                w.WriteString(m.Reason, "TaskDoneRejected.Reason");
                break;
            case Release m:
                WriteIds(ref w, m.DeliveryIds, "Release.DeliveryIds");
                break;
            case TaskFailed m:
                w.WriteInt64(m.DeliveryId);
                w.WriteInt32(m.Attempts);
                w.WriteString(m.Error, "TaskFailed.Error");
                break;
            case RunCompleted m:
                WriteStatus(ref w, m.Status);
                break;
            case QueueStatus m:
                WriteStatus(ref w, m);
                break;
            case DeadLetters m:
                WriteDeadLetteredItems(ref w, m.Items, inSnapshot: false);
                break;
            case RequeueDeadLetters m:
                WriteIds(ref w, m.ItemIds, "RequeueDeadLetters.ItemIds");
                break;
            case DeadLettersRequeuedAck m:
                w.WriteInt32(m.Count);
                break;
            case Shutdown m:
                w.WriteBool(m.Immediate);
                break;
            case ShutdownAck m:
                w.WriteInt32(m.Dropped);
                break;
            case CancelGet or QueueEmpty or QueueShutDown or Join or Joined or JoinRun or GetStatus or GetDeadLetters:
                break;
            case IQueueEvent e:
                w.WriteByte(e is CoordinatorSnapshot ? SnapshotFormatVersion : FormatVersion);
                WriteJournal(ref w, e);
                break;
            default:
                throw UnknownType(obj);
        }
    }

    private static void WriteJournal(ref WireWriter w, IQueueEvent e)
    {
        switch (e)
        {
            case ItemsAccepted m:
                w.WriteString(m.ProducerId, "ItemsAccepted.ProducerId");
                w.WriteInt64(m.SequenceNr);
                w.WriteInt64(m.FirstItemId);
                w.WriteCount(m.Items.Count, "ItemsAccepted.Items");
                for (var i = 0; i < m.Items.Count; i++)
                {
                    WriteItem(ref w, m.Items[i]);
                }

                w.WriteBool(m.PutComplete);
                break;
            case ItemsDelivered m:
                w.WriteInt64(m.FirstDeliveryId);
                WriteIds(ref w, m.ItemIds, "ItemsDelivered.ItemIds");
                break;
            case ItemsCompleted m:
                WriteIds(ref w, m.ItemIds, "ItemsCompleted.ItemIds");
                break;
            case ItemsRequeued m:
                WriteIds(ref w, m.DeliveryIds, "ItemsRequeued.DeliveryIds");
                break;
            case AcksIgnored m:
                w.WriteInt64(m.Count);
                break;
            case ItemDeadLettered m:
                w.WriteInt64(m.ItemId);
                w.WriteInt64(m.DeliveryId);
                w.WriteInt32(m.Attempts);
                w.WriteString(m.Error, "ItemDeadLettered.Error");
                break;
            case DeadLettersRequeued m:
                WriteIds(ref w, m.ItemIds, "DeadLettersRequeued.ItemIds", MaxStateListCount);
                break;
            case ProducerAnnounced m:
                w.WriteString(m.ProducerId, "ProducerAnnounced.ProducerId");
                break;
            case ProducerCompleted m:
                w.WriteString(m.ProducerId, "ProducerCompleted.ProducerId");
                break;
            case ProducerLost m:
                w.WriteString(m.ProducerId, "ProducerLost.ProducerId");
                break;
            case ShutdownRequested m:
                w.WriteBool(m.Immediate);
                break;
            case IncarnationStarted m:
                w.WriteInt64(m.Incarnation);
                break;
            case RunFinished m:
                w.WriteInt64(m.RunNumber);
                break;
            case RunStarted m:
                w.WriteInt64(m.RunNumber);
                break;
            case CoordinatorSnapshot m:
                WriteSnapshot(ref w, m);
                break;
            default:
                throw UnknownType(e);
        }
    }

    private static object Read(ref WireReader r, string manifest)
    {
        // Arguments are evaluated left to right, so each constructor call reads its fields in wire order.
        switch (manifest)
        {
            case PutManifest:
                return new Put(r.ReadString("Put.ProducerId"), r.ReadInt64("Put.SequenceNr"), ReadItems(ref r, "Put.Items"), r.ReadBool("Put.Wait"));
            case PutAcceptedManifest:
                return new PutAccepted(r.ReadString("PutAccepted.ProducerId"), r.ReadInt64("PutAccepted.SequenceNr"), r.ReadInt32("PutAccepted.Count"));
            case DeliveryManifest:
                return new Delivery(ReadDeliveredItems(ref r));
            case TaskDoneManifest:
                return new TaskDone(ReadIds(ref r, "TaskDone.DeliveryIds"));
            case RequestWorkManifest:
                return new RequestWork(r.ReadInt32("RequestWork.Window"), ReadIds(ref r, "RequestWork.Held"), r.ReadInt64("RequestWork.LastSeen"));
            case DeliveredUpToManifest:
                return new DeliveredUpTo(r.ReadInt64("DeliveredUpTo.LastDeliveryId"));
            case GetManifest:
                return new Get(r.ReadInt32("Get.Credits"), r.ReadBool("Get.Wait"));
            case PutRejectedManifest:
                return new PutRejected(
                    r.ReadString("PutRejected.ProducerId"), r.ReadInt64("PutRejected.SequenceNr"), ReadRejection(ref r), r.ReadInt32("PutRejected.Accepted"));
            case RegisterProducerManifest:
                return new RegisterProducer(r.ReadString("RegisterProducer.ProducerId"));
            case ProducerRegisteredManifest:
                return new ProducerRegistered(r.ReadString("ProducerRegistered.ProducerId"), r.ReadInt64("ProducerRegistered.LastAcceptedSequenceNr"));
            case ProducerDoneManifest:
                return new ProducerDone(r.ReadString("ProducerDone.ProducerId"), r.ReadInt64("ProducerDone.LastSequenceNr"));
            case ProducerDoneAckManifest:
                return new ProducerDoneAck(r.ReadString("ProducerDoneAck.ProducerId"));
            case CancelGetManifest:
                return CancelGet.Instance;
            case GetCancelledManifest:
                return new GetCancelled(r.ReadInt32("GetCancelled.Credits"));
            case QueueEmptyManifest:
                return QueueEmpty.Instance;
            case QueueShutDownManifest:
                return QueueShutDown.Instance;
            case TaskDoneRejectedManifest:
                return new TaskDoneRejected(r.ReadInt64("TaskDoneRejected.DeliveryId"), r.ReadString("TaskDoneRejected.Reason"));
            case ReleaseManifest:
                return new Release(ReadIds(ref r, "Release.DeliveryIds"));
            case TaskFailedManifest:
                return new TaskFailed(r.ReadInt64("TaskFailed.DeliveryId"), r.ReadInt32("TaskFailed.Attempts"), r.ReadString("TaskFailed.Error"));
            case JoinManifest:
                return Join.Instance;
            case JoinedManifest:
                return Joined.Instance;
            case JoinRunManifest:
                return JoinRun.Instance;
            case RunCompletedManifest:
                return new RunCompleted(ReadStatus(ref r));
            case GetStatusManifest:
                return GetStatus.Instance;
            case QueueStatusManifest:
                return ReadStatus(ref r);
            case GetDeadLettersManifest:
                return GetDeadLetters.Instance;
            case DeadLettersManifest:
                return new DeadLetters(ReadDeadLetteredItems(ref r, inSnapshot: false));
            case ShutdownManifest:
                return new Shutdown(r.ReadBool("Shutdown.Immediate"));
            case ShutdownAckManifest:
                return new ShutdownAck(r.ReadInt32("ShutdownAck.Dropped"));
            case RequeueDeadLettersManifest:
                return new RequeueDeadLetters(ReadIds(ref r, "RequeueDeadLetters.ItemIds"));
            case DeadLettersRequeuedAckManifest:
                return new DeadLettersRequeuedAck(r.ReadInt32("DeadLettersRequeuedAck.Count"));
            default:
                // A newer node's message, or garbage: say which, and let remoting drop it.
                throw UnknownManifest(manifest, r.Length);
        }
    }

    private static object ReadJournal(ref WireReader r, string manifest)
    {
        var version = r.ReadByte("the format version");
        var newest = manifest == CoordinatorSnapshotManifest ? SnapshotFormatVersion : FormatVersion;
        if (version < 1 || version > newest)
        {
            var known = newest == 1 ? "only version 1" : $"versions 1 to {newest}";
            throw new SerializationException(
                $"Queue journal data with manifest '{manifest}' has format version {version} (byte 0 of {r.Length}), " +
                $"but this code reads {known}{(version > newest ? "; it was written by newer code" : string.Empty)}.");
        }

        switch (manifest)
        {
            case ItemsAcceptedManifest:
                return new ItemsAccepted(
                    r.ReadString("ItemsAccepted.ProducerId"),
                    r.ReadInt64("ItemsAccepted.SequenceNr"),
                    r.ReadInt64("ItemsAccepted.FirstItemId"),
                    ReadItems(ref r, "ItemsAccepted.Items"),
                    r.ReadBool("ItemsAccepted.PutComplete"));
            case ItemsDeliveredManifest:
                return new ItemsDelivered(r.ReadInt64("ItemsDelivered.FirstDeliveryId"), ReadIds(ref r, "ItemsDelivered.ItemIds"));
            case ItemsCompletedManifest:
                return new ItemsCompleted(ReadIds(ref r, "ItemsCompleted.ItemIds"));
            case ItemsRequeuedManifest:
                return new ItemsRequeued(ReadIds(ref r, "ItemsRequeued.DeliveryIds"));
            case AcksIgnoredManifest:
                return new AcksIgnored(r.ReadInt64("AcksIgnored.Count"));
            case ItemDeadLetteredManifest:
                return new ItemDeadLettered(
                    r.ReadInt64("ItemDeadLettered.ItemId"),
                    r.ReadInt64("ItemDeadLettered.DeliveryId"),
                    r.ReadInt32("ItemDeadLettered.Attempts"),
                    r.ReadString("ItemDeadLettered.Error"));
            case DeadLettersRequeuedManifest:
                return new DeadLettersRequeued(ReadIds(ref r, "DeadLettersRequeued.ItemIds", MaxStateListCount));
            case ProducerAnnouncedManifest:
                return new ProducerAnnounced(r.ReadString("ProducerAnnounced.ProducerId"));
            case ProducerCompletedManifest:
                return new ProducerCompleted(r.ReadString("ProducerCompleted.ProducerId"));
            case ProducerLostManifest:
                return new ProducerLost(r.ReadString("ProducerLost.ProducerId"));
            case ShutdownRequestedManifest:
                return new ShutdownRequested(r.ReadBool("ShutdownRequested.Immediate"));
            case IncarnationStartedManifest:
                return new IncarnationStarted(r.ReadInt64("IncarnationStarted.Incarnation"));
            case RunFinishedManifest:
                return new RunFinished(r.ReadInt64("RunFinished.RunNumber"));
            case RunStartedManifest:
                return new RunStarted(r.ReadInt64("RunStarted.RunNumber"));
            case CoordinatorSnapshotManifest:
                return ReadSnapshot(ref r, version);
            default:
                // An event this code does not know (written by newer code?): recovery must stop, not skip it.
                throw UnknownManifest(manifest, r.Length);
        }
    }

    private static void WriteSnapshot(ref WireWriter w, CoordinatorSnapshot s)
    {
        w.WriteInt64(s.RunNumber);
        w.WriteBool(s.RunFinished);
        w.WriteInt64(s.Incarnation);
        w.WriteInt64(s.LastItemId);
        w.WriteInt64(s.LastDeliveryId);
        w.WriteInt64(s.Accepted);
        w.WriteInt64(s.Completed);
        w.WriteInt64(s.Dropped);
        w.WriteInt64(s.Redelivered);
        w.WriteInt64(s.DuplicateAcks);
        w.WriteBool(s.ShutDown);
        w.WriteBool(s.ShutDownImmediately);

        w.WriteCount(s.Items.Count, "CoordinatorSnapshot.Items", MaxStateListCount);
        for (var i = 0; i < s.Items.Count; i++)
        {
            var item = s.Items[i];
            w.WriteInt64(item.Id);
            WriteItem(ref w, item.Item);
            WriteIds(ref w, item.DeliveryIds, "CoordinatorSnapshot.Items.DeliveryIds");
            w.WriteInt64(item.CurrentDelivery);
        }

        w.WriteCount(s.Producers.Count, "CoordinatorSnapshot.Producers");
        for (var i = 0; i < s.Producers.Count; i++)
        {
            var producer = s.Producers[i];
            w.WriteString(producer.Id, "CoordinatorSnapshot.Producers.Id");
            w.WriteInt64(producer.HighestAccepted);
            w.WriteInt64(producer.Accepted);
            w.WriteBool(producer.Announced);
            w.WriteBool(producer.Done);
            w.WriteBool(producer.Lost);
            w.WriteInt64(producer.PartialSequenceNr);
            w.WriteInt32(producer.PartialAdmitted);
        }

        WriteDeadLetteredItems(ref w, s.DeadLetters, inSnapshot: true);
    }

    private static CoordinatorSnapshot ReadSnapshot(ref WireReader r, byte version) => new(
        r.ReadInt64("CoordinatorSnapshot.RunNumber"),
        r.ReadBool("CoordinatorSnapshot.RunFinished"),
        r.ReadInt64("CoordinatorSnapshot.Incarnation"),
        r.ReadInt64("CoordinatorSnapshot.LastItemId"),
        r.ReadInt64("CoordinatorSnapshot.LastDeliveryId"),
        r.ReadInt64("CoordinatorSnapshot.Accepted"),
        r.ReadInt64("CoordinatorSnapshot.Completed"),
        r.ReadInt64("CoordinatorSnapshot.Dropped"),
        version >= 2 ? r.ReadInt64("CoordinatorSnapshot.Redelivered") : 0,
        version >= 2 ? r.ReadInt64("CoordinatorSnapshot.DuplicateAcks") : 0,
        r.ReadBool("CoordinatorSnapshot.ShutDown"),
        r.ReadBool("CoordinatorSnapshot.ShutDownImmediately"),
        ReadSnapshotItems(ref r, version),
        ReadSnapshotProducers(ref r, version),
        ReadDeadLetteredItems(ref r, inSnapshot: true));

    private static SnapshotItem[] ReadSnapshotItems(ref WireReader r, byte version)
    {
        var count = r.ReadCount(version >= 2 ? SnapshotItemMinBytes + sizeof(long) : SnapshotItemMinBytes, "CoordinatorSnapshot.Items", MaxStateListCount);
        if (count == 0)
        {
            return [];
        }

        var items = new SnapshotItem[count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = new SnapshotItem(
                r.ReadInt64("CoordinatorSnapshot.Items.Id"),
                ReadItem(ref r, "CoordinatorSnapshot.Items.Item"),
                ReadIds(ref r, "CoordinatorSnapshot.Items.DeliveryIds"),
                version >= 2 ? r.ReadInt64("CoordinatorSnapshot.Items.CurrentDelivery") : 0);
        }

        return items;
    }

    private static SnapshotProducer[] ReadSnapshotProducers(ref WireReader r, byte version)
    {
        var count = r.ReadCount(version >= 2 ? SnapshotProducerMinBytes + sizeof(long) + sizeof(int) : SnapshotProducerMinBytes, "CoordinatorSnapshot.Producers");
        if (count == 0)
        {
            return [];
        }

        var producers = new SnapshotProducer[count];
        for (var i = 0; i < producers.Length; i++)
        {
            producers[i] = new SnapshotProducer(
                r.ReadString("CoordinatorSnapshot.Producers.Id"),
                r.ReadInt64("CoordinatorSnapshot.Producers.HighestAccepted"),
                r.ReadInt64("CoordinatorSnapshot.Producers.Accepted"),
                r.ReadBool("CoordinatorSnapshot.Producers.Announced"),
                r.ReadBool("CoordinatorSnapshot.Producers.Done"),
                r.ReadBool("CoordinatorSnapshot.Producers.Lost"),
                version >= 2 ? r.ReadInt64("CoordinatorSnapshot.Producers.PartialSequenceNr") : long.MinValue,
                version >= 2 ? r.ReadInt32("CoordinatorSnapshot.Producers.PartialAdmitted") : 0);
        }

        return producers;
    }

    private static void WriteItem(ref WireWriter w, QueueItem item)
    {
        w.WritePayload(item.Payload.Span);
        w.WriteDateTime(item.PutAt);
    }

    private static QueueItem ReadItem(ref WireReader r, string field) =>
        new(r.ReadPayload(field), r.ReadDateTime(field));

    private static QueueItem[] ReadItems(ref WireReader r, string field)
    {
        var count = r.ReadCount(QueueItemMinBytes, field);
        if (count == 0)
        {
            return [];
        }

        var items = new QueueItem[count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = ReadItem(ref r, field);
        }

        return items;
    }

    private static DeliveredItem[] ReadDeliveredItems(ref WireReader r)
    {
        var count = r.ReadCount(DeliveredItemMinBytes, "Delivery.Items");
        if (count == 0)
        {
            return [];
        }

        var items = new DeliveredItem[count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = new DeliveredItem(r.ReadInt64("Delivery.Items.DeliveryId"), ReadItem(ref r, "Delivery.Items.Item"));
        }

        return items;
    }

    /// <summary>Dead letters of a <see cref="DeadLetters"/> reply or, with a higher limit, of a snapshot.</summary>
    private static void WriteDeadLetteredItems(ref WireWriter w, IReadOnlyList<DeadLetteredItem> items, bool inSnapshot)
    {
        w.WriteCount(
            items.Count,
            inSnapshot ? "CoordinatorSnapshot.DeadLetters" : "DeadLetters.Items",
            inSnapshot ? MaxStateListCount : MaxListCount);
        var errorField = inSnapshot ? "CoordinatorSnapshot.DeadLetters.Error" : "DeadLetters.Items.Error";
        for (var i = 0; i < items.Count; i++)
        {
            var dead = items[i];
            w.WriteInt64(dead.ItemId);
            w.WriteInt64(dead.DeliveryId);
            WriteItem(ref w, dead.Item);
            w.WriteInt32(dead.Attempts);
            w.WriteString(dead.Error, errorField);
        }
    }

    private static DeadLetteredItem[] ReadDeadLetteredItems(ref WireReader r, bool inSnapshot)
    {
        var count = r.ReadCount(
            DeadLetteredItemMinBytes,
            inSnapshot ? "CoordinatorSnapshot.DeadLetters" : "DeadLetters.Items",
            inSnapshot ? MaxStateListCount : MaxListCount);
        if (count == 0)
        {
            return [];
        }

        // Constant names, chosen once: the error messages say which list without building strings per entry.
        var (itemIdField, deliveryIdField, itemField, attemptsField, errorField) = inSnapshot
            ? ("CoordinatorSnapshot.DeadLetters.ItemId", "CoordinatorSnapshot.DeadLetters.DeliveryId", "CoordinatorSnapshot.DeadLetters.Item",
                "CoordinatorSnapshot.DeadLetters.Attempts", "CoordinatorSnapshot.DeadLetters.Error")
            : ("DeadLetters.Items.ItemId", "DeadLetters.Items.DeliveryId", "DeadLetters.Items.Item", "DeadLetters.Items.Attempts", "DeadLetters.Items.Error");
        var items = new DeadLetteredItem[count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = new DeadLetteredItem(
                r.ReadInt64(itemIdField), r.ReadInt64(deliveryIdField), ReadItem(ref r, itemField), r.ReadInt32(attemptsField), r.ReadString(errorField));
        }

        return items;
    }

    private static void WriteIds(ref WireWriter w, IReadOnlyList<long> ids, string field, int limit = MaxListCount)
    {
        w.WriteCount(ids.Count, field, limit);
        for (var i = 0; i < ids.Count; i++)
        {
            w.WriteInt64(ids[i]);
        }
    }

    private static long[] ReadIds(ref WireReader r, string field, int limit = MaxListCount)
    {
        var count = r.ReadCount(sizeof(long), field, limit);
        if (count == 0)
        {
            return [];
        }

        var ids = new long[count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = r.ReadInt64(field);
        }

        return ids;
    }

    private static PutRejection ReadRejection(ref WireReader r)
    {
        var value = r.ReadByte("PutRejected.Reason");
        return value switch
        {
            0 => PutRejection.Full,
            1 => PutRejection.ShutDown,
            2 => PutRejection.TooLarge,
            _ => throw r.Malformed($"PutRejected.Reason is enum byte {value}, not a defined {nameof(PutRejection)}"),
        };
    }

    private static void WriteStatus(ref WireWriter w, QueueStatus s)
    {
        w.WriteInt32(s.Size);
        w.WriteInt32(s.InFlight);
        w.WriteInt32(s.Capacity);
        w.WriteBool(s.IsShutDown);
        w.WriteInt64(s.Accepted);
        w.WriteInt64(s.Completed);
        w.WriteInt64(s.DeadLettered);
        w.WriteInt64(s.Dropped);
        w.WriteInt64(s.Redelivered);
        w.WriteInt32(s.ParkedPuts);
        w.WriteInt32(s.WaitingGetters);
        w.WriteInt64(s.DuplicateAcks);
        w.WriteInt32(s.Consumers);
        w.WriteInt32(s.ExpectedProducers);
        w.WriteInt32(s.ProducersRegistered);
        w.WriteInt32(s.ProducersDone);
        w.WriteInt32(s.ProducersLost);
    }

    private static QueueStatus ReadStatus(ref WireReader r) => new(
        r.ReadInt32("QueueStatus.Size"),
        r.ReadInt32("QueueStatus.InFlight"),
        r.ReadInt32("QueueStatus.Capacity"),
        r.ReadBool("QueueStatus.IsShutDown"),
        r.ReadInt64("QueueStatus.Accepted"),
        r.ReadInt64("QueueStatus.Completed"),
        r.ReadInt64("QueueStatus.DeadLettered"),
        r.ReadInt64("QueueStatus.Dropped"),
        r.ReadInt64("QueueStatus.Redelivered"),
        r.ReadInt32("QueueStatus.ParkedPuts"),
        r.ReadInt32("QueueStatus.WaitingGetters"),
        r.ReadInt64("QueueStatus.DuplicateAcks"),
        r.ReadInt32("QueueStatus.Consumers"),
        r.ReadInt32("QueueStatus.ExpectedProducers"),
        r.ReadInt32("QueueStatus.ProducersRegistered"),
        r.ReadInt32("QueueStatus.ProducersDone"),
        r.ReadInt32("QueueStatus.ProducersLost"));

    private static SerializationException UnknownManifest(string manifest, int length) =>
        new($"Unknown queue manifest '{manifest}' ({length} bytes); this code cannot read that message or event type.");

    private static ArgumentException UnknownType(object o) =>
        new($"{nameof(QueueMessageSerializer)} cannot serialize {o?.GetType().FullName ?? "null"}: it is neither a {nameof(QueueProtocol)} message nor a {nameof(QueueEvents)} event.");
}
