using ActorPipeline.Consumers;
using ActorPipeline.Coordinator;
using ActorPipeline.Producers;
using Akka.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorPipeline.Benchmarks;

/// <summary>
/// The shipped coordinator, producer and consumer actors, added by the service's own hosting extensions
/// as the Host adds them, with a load run's settings: puts of <see cref="LoadSettings.Batch"/> items,
/// consumer windows of <see cref="LoadSettings.Window"/>, no sleeps.
/// </summary>
internal static class ShippedActors
{
    public static AkkaConfigurationBuilder AddShippedActors(
        this AkkaConfigurationBuilder akka, LoadSettings settings, bool ephemeral, IPayloadSource source, IPayloadHandler handler, string nodeName)
    {
        var queue = new QueueOptions
        {
            Capacity = settings.Capacity, MaxDeliveryBatch = Math.Min(settings.Batch, new QueueOptions().MaxDeliveryBatch), ProgressInterval = TimeSpan.Zero, Ephemeral = ephemeral,
            ExpectedProducers = settings.Producers,
        };
        var producers = new ProducerOptions { Count = settings.Producers, BatchSize = settings.Batch };
        var consumers = new ConsumerOptions { Count = settings.Consumers, Prefetch = settings.Window };
        var loggers = NullLoggerFactory.Instance;
        return akka.AddCoordinator(queue, loggers)
            .AddProducers(producers, source, nodeName, loggers)
            .AddConsumers(consumers, handler, loggers);
    }
}
