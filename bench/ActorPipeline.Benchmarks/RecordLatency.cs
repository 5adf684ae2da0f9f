namespace ActorPipeline.Benchmarks;

/// <summary>The load run's work through the public handler interface: none, but each item's put→get latency is kept.</summary>
internal sealed class RecordLatency(LatencySamples latencies) : IWorkHandler<byte[]>
{
    public ValueTask HandleAsync(byte[] item, WorkContext context)
    {
        latencies.Record(DateTime.UtcNow - context.PutAt);
        return ValueTask.CompletedTask;
    }
}
