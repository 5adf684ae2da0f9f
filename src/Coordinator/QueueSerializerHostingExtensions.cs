using Akka.Hosting;

namespace ActorPipeline.Coordinator;

public static class QueueSerializerHostingExtensions
{
    /// <summary>
    /// Binds <see cref="QueueMessageSerializer"/> to every <see cref="IQueueMessage"/>, so the queue
    /// protocol crosses nodes in its compact format instead of the default JSON with type names.
    /// </summary>
    public static AkkaConfigurationBuilder WithQueueSerializer(this AkkaConfigurationBuilder builder) =>
        builder.WithCustomSerializer("queue-protocol", [typeof(IQueueMessage)], system => new QueueMessageSerializer(system));
}
