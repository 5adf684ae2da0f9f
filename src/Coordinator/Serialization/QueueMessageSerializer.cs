using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using Google.Protobuf;

namespace ActorPipeline.Coordinator.Serialization;

/// <summary>
/// The wire format of every <see cref="QueueProtocol"/> message and of every <see cref="QueueEvents"/>
/// journal event and snapshot: Protocol Buffers, with the schema in <c>Protos/*.proto</c> (compiled at
/// build time) and a short manifest naming the type (<see cref="QueueFormats"/>; no type name ever
/// travels or is stored).
/// </summary>
/// <remarks>
/// <para>
/// The schema's rules (add fields, never renumber or reuse one; a change an older reader must not
/// misread is a new message type) are what keep a journal readable by later code, so journal data
/// carries no version of its own. Journals written before this format (serializer 7341) are refused
/// with what to do, by <see cref="PreProtobufJournalSerializer"/>.
/// </para>
/// <para>
/// Reading is defensive, since the bytes come from the network or from storage: a protocol message
/// over <see cref="MaxMessageBytes"/> is refused before it is parsed, and anything malformed
/// (an unknown manifest, bytes that are not Protocol Buffers or are cut short, invalid UTF-8, a
/// string, payload or list over its limit, a put time outside <see cref="DateTime"/>, an enum value
/// not defined, columns of unequal length) is a <see cref="SerializationException"/> naming the
/// manifest, which remoting treats as transient (it drops the message and keeps the association), and
/// which fails a persistent actor's recovery instead of handing it wrong state.
/// </para>
/// </remarks>
internal sealed class QueueMessageSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>This format's id; <see cref="PreProtobufJournalSerializer.Id"/> was the one before it.</summary>
    public const int Id = 7342;

    /// <summary>Longest item payload either side accepts.</summary>
    public const int MaxPayloadBytes = 16 * 1024 * 1024;

    /// <summary>Longest string (as UTF-8) either side accepts: ids, reasons, errors.</summary>
    public const int MaxStringBytes = 64 * 1024;

    /// <summary>Most entries in one list (items, delivery ids, dead letters) either side accepts.</summary>
    public const int MaxListCount = 1_000_000;

    /// <summary>
    /// Most entries in a list that holds the coordinator's state rather than one message's worth: a
    /// snapshot's items and dead letters, and the item ids a requeue of every dead letter moves. A queue
    /// may hold millions of items; the whole snapshot must still fit one message (2 GB).
    /// </summary>
    public const int MaxStateListCount = 50_000_000;

    /// <summary>
    /// Largest protocol message either side accepts, whatever its manifest. The Host sizes Akka's
    /// remoting frame from the item limit and never beyond this, so a peer cannot make us buffer more.
    /// </summary>
    public const int MaxMessageBytes = 256 * 1024 * 1024;

    /// <summary>Fixed, so that every node agrees on it without configuration; 0-100 belong to Akka.</summary>
    public override int Identifier => Id;

    public override string Manifest(object o) => Format(o).Manifest;

    public override byte[] ToBinary(object obj) => Format(obj).ToWire(obj).ToByteArray();

    public override object FromBinary(byte[] bytes, string manifest)
    {
        var format = QueueFormats.ForManifest(manifest)
            ?? throw new SerializationException($"Unknown queue manifest '{manifest}' ({bytes.Length} bytes); this code cannot read that message or event type.");
        if (bytes.Length > MaxMessageBytes && !format.IsJournal)
        {
            throw Malformed(manifest, bytes, $"oversized: {bytes.Length} bytes, over the limit of {MaxMessageBytes} for one message");
        }

        try
        {
            return format.FromWire(format.Parse(bytes));
        }
        catch (WireFormatException e)
        {
            throw Malformed(manifest, bytes, e.Message);
        }
        catch (InvalidProtocolBufferException e)
        {
            // Cut short, a bad tag or wire type, a length past the end, nesting too deep: the parser's words.
            throw Malformed(manifest, bytes, e.Message, e);
        }
        catch (ArgumentException e)
        {
            // Invalid UTF-8 in a string field (a DecoderFallbackException).
            throw Malformed(manifest, bytes, $"not valid UTF-8 or otherwise unreadable: {e.Message}", e);
        }
    }

    private static QueueFormat Format(object o) => QueueFormats.ForRecord(o) ?? throw new ArgumentException(
        $"{nameof(QueueMessageSerializer)} cannot serialize {o?.GetType().FullName ?? "null"}: it is neither a {nameof(QueueProtocol)} message nor a {nameof(QueueEvents)} event.",
        nameof(o));

    private static SerializationException Malformed(string manifest, byte[] bytes, string problem, Exception? inner = null) =>
        new($"Malformed queue data with manifest '{manifest}' ({bytes.Length} bytes): {problem}", inner);
}
