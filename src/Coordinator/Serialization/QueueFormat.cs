using Google.Protobuf;

namespace ActorPipeline.Coordinator.Serialization;

/// <summary>
/// How one record travels: its manifest and the generated Protocol Buffers type it maps to and from.
/// <see cref="QueueFormats"/> holds one for every message, event and snapshot.
/// </summary>
internal abstract class QueueFormat(string manifest, Type recordType, Type wireType)
{
    public string Manifest { get; } = manifest;

    public Type RecordType { get; } = recordType;

    public Type WireType { get; } = wireType;

    /// <summary>Journal data, named by manifests that start with 'E' (events) or are "S" (the snapshot); no protocol manifest does.</summary>
    public bool IsJournal => Manifest.StartsWith('E') || Manifest == "S";

    public abstract IMessage ToWire(object record);

    public abstract object FromWire(IMessage wire);

    public abstract IMessage Parse(byte[] bytes);
}

/// <summary>A <see cref="QueueFormat"/> of a record type <typeparamref name="TRecord"/> carried as <typeparamref name="TWire"/>.</summary>
internal sealed class QueueFormat<TRecord, TWire>(string manifest, Func<TRecord, TWire> toWire, Func<TWire, TRecord> fromWire)
    : QueueFormat(manifest, typeof(TRecord), typeof(TWire))
    where TRecord : class
    where TWire : IMessage<TWire>, new()
{
    // Fields this code does not know (a newer writer's) are skipped rather than kept: every record is
    // mapped to our own types at once, so nothing would carry them on.
    private static readonly MessageParser<TWire> Parser = new MessageParser<TWire>(() => new TWire()).WithDiscardUnknownFields(true);

    public override IMessage ToWire(object record) => toWire((TRecord)record);

    public override object FromWire(IMessage wire) => fromWire((TWire)wire);

    public override IMessage Parse(byte[] bytes) => Parser.ParseFrom(bytes);
}
