namespace ActorPipeline.Coordinator.Protocol;

/// <summary>One unit of work as it travels from a producer through the coordinator to a consumer.</summary>
/// <param name="Payload">The producer's bytes; the coordinator never looks inside.</param>
/// <param name="PutAt">UTC time the producer put it (the seed's <c>t</c>), so a consumer can report put→get latency.</param>
internal sealed record QueueItem(ReadOnlyMemory<byte> Payload, DateTime PutAt)
{
    /// <summary>The payload as lower-case hex, the way the seed prints items.</summary>
    public string Hex => Convert.ToHexStringLower(Payload.Span);

    public override string ToString() => $"<{Hex}>";
}
