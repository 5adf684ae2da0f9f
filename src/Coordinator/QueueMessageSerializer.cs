using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using static ActorPipeline.Coordinator.QueueProtocol;

namespace ActorPipeline.Coordinator;

/// <summary>
/// The wire format of every <see cref="QueueProtocol"/> message: a short manifest names the type (no
/// type name ever travels) and a compact little-endian body carries the fields in declaration order.
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
/// Reading is defensive, since the bytes come from the network: anything malformed (unknown manifest,
/// truncation, trailing bytes, a length or count that is negative, over its limit or beyond the bytes
/// left, an enum or bool byte out of range, invalid UTF-8, ticks out of range) is a
/// <see cref="SerializationException"/>, which remoting treats as transient and drops the message.
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

    private const string PutManifest = "P";
    private const string PutAcceptedManifest = "PA";
    private const string PutRejectedManifest = "PR";
    private const string RegisterProducerManifest = "RP";
    private const string ProducerRegisteredManifest = "RPA";
    private const string ProducerDoneManifest = "PD";
    private const string ProducerDoneAckManifest = "PDA";
    private const string GetManifest = "G";
    private const string RequestWorkManifest = "RW";
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

    // Least bytes each list entry takes on the wire, so a count can be checked against the bytes left.
    private const int QueueItemMinBytes = sizeof(int) + sizeof(long);
    private const int DeliveredItemMinBytes = sizeof(long) + QueueItemMinBytes;
    private const int DeadLetteredItemMinBytes = sizeof(long) + QueueItemMinBytes + sizeof(int) + sizeof(int);

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
        object message;
        try
        {
            message = Read(ref reader, manifest);
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
                    _ => throw new SerializationException($"Cannot serialize PutRejected.Reason {(int)m.Reason}: not a defined {nameof(PutRejection)}."),
                });
                w.WriteInt32(m.Accepted);
                break;
            case RegisterProducer m:
                w.WriteString(m.ProducerId, "RegisterProducer.ProducerId");
                break;
            case ProducerRegistered m:
                w.WriteString(m.ProducerId, "ProducerRegistered.ProducerId");
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
                w.WriteCount(m.Items.Count, "DeadLetters.Items");
                for (var i = 0; i < m.Items.Count; i++)
                {
                    var dead = m.Items[i];
                    w.WriteInt64(dead.DeliveryId);
                    WriteItem(ref w, dead.Item);
                    w.WriteInt32(dead.Attempts);
                    w.WriteString(dead.Error, "DeadLetters.Items.Error");
                }

                break;
            case Shutdown m:
                w.WriteBool(m.Immediate);
                break;
            case ShutdownAck m:
                w.WriteInt32(m.Dropped);
                break;
            case CancelGet or QueueEmpty or QueueShutDown or Join or Joined or JoinRun or GetStatus or GetDeadLetters:
                break;
            default:
                throw UnknownType(obj);
        }
    }

    private static object Read(ref WireReader r, string manifest)
    {
        // Arguments are evaluated left to right, so each constructor call reads its fields in wire order.
        switch (manifest)
        {
            case PutManifest:
                return new Put(r.ReadString("Put.ProducerId"), r.ReadInt64("Put.SequenceNr"), ReadItems(ref r), r.ReadBool("Put.Wait"));
            case PutAcceptedManifest:
                return new PutAccepted(r.ReadString("PutAccepted.ProducerId"), r.ReadInt64("PutAccepted.SequenceNr"), r.ReadInt32("PutAccepted.Count"));
            case DeliveryManifest:
                return new Delivery(ReadDeliveredItems(ref r));
            case TaskDoneManifest:
                return new TaskDone(ReadIds(ref r, "TaskDone.DeliveryIds"));
            case RequestWorkManifest:
                return new RequestWork(r.ReadInt32("RequestWork.Window"));
            case GetManifest:
                return new Get(r.ReadInt32("Get.Credits"), r.ReadBool("Get.Wait"));
            case PutRejectedManifest:
                return new PutRejected(
                    r.ReadString("PutRejected.ProducerId"), r.ReadInt64("PutRejected.SequenceNr"), ReadRejection(ref r), r.ReadInt32("PutRejected.Accepted"));
            case RegisterProducerManifest:
                return new RegisterProducer(r.ReadString("RegisterProducer.ProducerId"));
            case ProducerRegisteredManifest:
                return new ProducerRegistered(r.ReadString("ProducerRegistered.ProducerId"));
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
                return new DeadLetters(ReadDeadLetteredItems(ref r));
            case ShutdownManifest:
                return new Shutdown(r.ReadBool("Shutdown.Immediate"));
            case ShutdownAckManifest:
                return new ShutdownAck(r.ReadInt32("ShutdownAck.Dropped"));
            default:
                // A newer node's message, or garbage: say which, and let remoting drop it.
                throw new SerializationException(
                    $"Unknown queue message manifest '{manifest}' ({r.Length} bytes); this node cannot read that message type.");
        }
    }

    private static void WriteItem(ref WireWriter w, QueueItem item)
    {
        w.WritePayload(item.Payload.Span);
        w.WriteDateTime(item.PutAt);
    }

    private static QueueItem ReadItem(ref WireReader r, string field) =>
        new(r.ReadPayload(field), r.ReadDateTime(field));

    private static QueueItem[] ReadItems(ref WireReader r)
    {
        var count = r.ReadCount(QueueItemMinBytes, "Put.Items");
        if (count == 0)
        {
            return [];
        }

        var items = new QueueItem[count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = ReadItem(ref r, "Put.Items");
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

    private static DeadLetteredItem[] ReadDeadLetteredItems(ref WireReader r)
    {
        var count = r.ReadCount(DeadLetteredItemMinBytes, "DeadLetters.Items");
        if (count == 0)
        {
            return [];
        }

        var items = new DeadLetteredItem[count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = new DeadLetteredItem(
                r.ReadInt64("DeadLetters.Items.DeliveryId"),
                ReadItem(ref r, "DeadLetters.Items.Item"),
                r.ReadInt32("DeadLetters.Items.Attempts"),
                r.ReadString("DeadLetters.Items.Error"));
        }

        return items;
    }

    private static void WriteIds(ref WireWriter w, IReadOnlyList<long> ids, string field)
    {
        w.WriteCount(ids.Count, field);
        for (var i = 0; i < ids.Count; i++)
        {
            w.WriteInt64(ids[i]);
        }
    }

    private static long[] ReadIds(ref WireReader r, string field)
    {
        var count = r.ReadCount(sizeof(long), field);
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

    private static ArgumentException UnknownType(object o) =>
        new($"{nameof(QueueMessageSerializer)} cannot serialize {o?.GetType().FullName ?? "null"}: it is not a {nameof(QueueProtocol)} message.");
}
