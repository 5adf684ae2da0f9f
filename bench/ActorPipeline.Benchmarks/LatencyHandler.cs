using ActorPipeline.Consumers;

namespace ActorPipeline.Benchmarks;

/// <summary>The work the shipped consumer actors do in a load run: none, but each item's put→get latency is kept.</summary>
public sealed class LatencyHandler(LatencySamples latencies) : IPayloadHandler
{
    public ValueTask HandleAsync(WorkContext context, CancellationToken cancellationToken)
    {
        latencies.Record(DateTime.UtcNow - context.Item.PutAt);
        return ValueTask.CompletedTask;
    }
}
