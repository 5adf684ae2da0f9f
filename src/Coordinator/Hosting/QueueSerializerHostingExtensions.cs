using Akka.Hosting;

namespace ActorPipeline.Coordinator.Hosting;

internal static class QueueSerializerHostingExtensions
{
    /// <summary>
    /// Binds <see cref="QueueMessageSerializer"/> to every <see cref="IQueueMessage"/>, every
    /// <see cref="IQueueEvent"/> and the <see cref="QueueEvents.CoordinatorSnapshot"/>, so the queue protocol crosses nodes, and the coordinator's journal and
    /// snapshots are stored, in its Protocol Buffers schema instead of the default JSON with type names.
    /// <see cref="PreProtobufJournalSerializer"/> is registered beside it, bound to nothing, so that data
    /// of the format before answers with what to do.
    /// </summary>
    public static AkkaConfigurationBuilder WithQueueSerializer(this AkkaConfigurationBuilder builder) =>
        builder
            .WithCustomSerializer("queue-protocol", [typeof(IQueueMessage), typeof(IQueueEvent), typeof(QueueEvents.CoordinatorSnapshot)], system => new QueueMessageSerializer(system))
            .WithCustomSerializer("queue-protocol-before-protobuf", [], system => new PreProtobufJournalSerializer(system));
}
