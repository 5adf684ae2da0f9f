using ActorPipeline.Consumers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ActorPipeline.Tests.Library;

/// <summary>
/// A pipeline composed by <c>AddActorPipeline</c> on bare services, without a node: the source adapter a producer
/// reads and the handler adapter a consumer calls, driven by hand. What they do here is what the actors get.
/// </summary>
internal sealed class ComposedPipeline : IAsyncDisposable
{
    public ComposedPipeline(Action<ActorPipelineBuilder> configure, Action<IServiceCollection>? register = null)
    {
        var services = new ServiceCollection();
        register?.Invoke(services);
        services.AddActorPipeline(new ConfigurationBuilder().Build(), configure);
        Provider = services.BuildServiceProvider();
        Parts = Provider.GetRequiredService<PipelineParts>();
        Handler = Parts.CreateHandler(Provider);
    }

    public ServiceProvider Provider { get; }

    public PipelineParts Parts { get; }

    /// <summary>The handler adapter, made once as the node makes it.</summary>
    public IPayloadHandler Handler { get; }

    public T Get<T>()
        where T : notnull => Provider.GetRequiredService<T>();

    /// <summary>Everything the source adapter yields to producer 0 of 1: the bytes the queue would carry.</summary>
    public async Task<List<ReadOnlyMemory<byte>>> ReadAsync(CancellationToken cancellationToken)
    {
        var payloads = new List<ReadOnlyMemory<byte>>();
        await foreach (var payload in Parts.CreateSource(Provider).ReadAsync(new SourceContext(0, 1, "node-a/producer-0", "node-a", 0), cancellationToken))
        {
            payloads.Add(payload);
        }

        return payloads;
    }

    /// <summary>One attempt at one delivery of an item, as a consumer makes it.</summary>
    public ValueTask HandleAsync(ReadOnlyMemory<byte> payload, long itemId, long deliveryId = 1, int deliveryCount = 1, CancellationToken cancellationToken = default) =>
        Handler.HandleAsync(Context(payload, itemId, deliveryId, deliveryCount, cancellationToken), cancellationToken);

    public static WorkContext Context(ReadOnlyMemory<byte> payload, long itemId, long deliveryId = 1, int deliveryCount = 1, CancellationToken cancellationToken = default) =>
        new(consumerId: 0, new DeliveredItem(deliveryId, new QueueItem(payload, DateTime.UtcNow), itemId, deliveryCount), attempt: 1, cancellationToken);

    public ValueTask DisposeAsync() => Provider.DisposeAsync();
}
