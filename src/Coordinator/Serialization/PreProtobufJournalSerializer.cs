using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;

namespace ActorPipeline.Coordinator.Serialization;

/// <summary>
/// Stands in for the queue's format before Protocol Buffers (serializer 7341, a hand-written
/// little-endian layout with a format-version byte), which this code no longer reads. A journal or
/// snapshot store that still holds such data names this id, so the coordinator's recovery fails here
/// with what to do instead of with Akka's "no serializer"; a node of that version sending to this one
/// gets the same refusal logged, and its message dropped.
/// </summary>
/// <remarks>
/// Refusing loses nothing: the journal is left as it was, and the version that wrote it can still
/// finish its run.
/// </remarks>
internal sealed class PreProtobufJournalSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int Id = 7341;

    /// <summary>What the refusal says; <see cref="CoordinatorActor"/> logs it as the reason start-up stopped.</summary>
    public const string Advice =
        "It was written by ActorPipeline before the queue's format became Protocol Buffers (serializer 7341), which this version does not read. " +
        "Nothing has been changed or lost: finish the run with the version that wrote the journal (its items are still in it), " +
        "or, to start afresh, move the journal away (the SQLite file of Pipeline:Persistence:ConnectionString, by default ./actor-pipeline.db, " +
        "or the PostgreSQL journal and snapshot tables) and start again.";

    public override int Identifier => Id;

    public override string Manifest(object o) =>
        throw new ArgumentException($"Nothing is written in the pre-Protocol Buffers queue format any more; {nameof(QueueMessageSerializer)} writes {o?.GetType().Name}.", nameof(o));

    public override byte[] ToBinary(object obj) => throw new ArgumentException("Nothing is written in the pre-Protocol Buffers queue format any more.", nameof(obj));

    public override object FromBinary(byte[] bytes, string manifest) =>
        throw new SerializationException($"Queue data with manifest '{manifest}' ({bytes.Length} bytes) is in the format before Protocol Buffers. {Advice}");
}
