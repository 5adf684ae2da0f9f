using static ActorPipeline.Coordinator.QueueProtocol;

namespace ActorPipeline.Coordinator;

/// <summary>The operator's view: the status, who holds what, who put what, and recent latency.</summary>
internal sealed partial class CoordinatorState<TClient>
{
    /// <summary>How far back the overview's latency percentiles reach.</summary>
    public static readonly TimeSpan LatencyWindowLength = TimeSpan.FromMinutes(1);

    /// <param name="describe">How the shell names a consumer (an actor's path).</param>
    public QueueOverview Overview(Func<TClient, string> describe) => new(
        Status(),
        [.. _consumers.Values.Select(c => new ConsumerOverview(describe(c.Ref), c.InFlight.Count, c.Completed)).OrderBy(c => c.Consumer, StringComparer.Ordinal)],
        [.. _producers.Values.Where(p => p.IsJournaled).Select(p => new ProducerOverview(p.Id, p.Node, p.Phase, p.Accepted)).OrderBy(p => p.ProducerId, StringComparer.Ordinal)],
        _latency.Summary());
}
