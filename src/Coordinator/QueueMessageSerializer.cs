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
public sealed partial class QueueMessageSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
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
    /// item's current delivery and each producer's partly admitted put; version 3 each producer's node
    /// and its node's producer count. Older snapshots are still read, with what they lack as zero and none.
    /// </summary>
    public const byte SnapshotFormatVersion = 3;

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
    private const string EventGroupManifest = "EG";
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

        IQueueEvent e => JournalManifest(e),
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

    private static SerializationException UnknownManifest(string manifest, int length) =>
        new($"Unknown queue manifest '{manifest}' ({length} bytes); this code cannot read that message or event type.");

    private static ArgumentException UnknownType(object o) =>
        new($"{nameof(QueueMessageSerializer)} cannot serialize {o?.GetType().FullName ?? "null"}: it is neither a {nameof(QueueProtocol)} message nor a {nameof(QueueEvents)} event.");
}
