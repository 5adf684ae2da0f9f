using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Coordinator.State;

/// <summary>The operator's view: the status, who holds what, who put what, and recent latency.</summary>
internal sealed partial class CoordinatorState<TClient>
{
    /// <summary>How far back the overview's latency percentiles reach.</summary>
    public static readonly TimeSpan LatencyWindowLength = TimeSpan.FromMinutes(1);

    /// <summary>Dead letters an overview lists, the newest.</summary>
    public const int OverviewDeadLetters = 50;

    // Live only, for the overview: who did the work of this run, after they have gone too (at its end, every consumer).
    private readonly ConsumerTally<TClient> _tally = new();

    /// <param name="describe">How the shell names a consumer (an actor's path).</param>
    public QueueOverview Overview(Func<TClient, string> describe) => new(
        Status(),
        [
            .. _consumers.Values.Select(c => new ConsumerOverview(describe(c.Ref), c.InFlight.Count, _tally.CompletedBy(c.Ref), Connected: true))
                .Concat(_tally.DepartedConsumers.Select(d => new ConsumerOverview(describe(d.Consumer), 0, d.Completed, Connected: false)))
                .OrderBy(c => c.Consumer, StringComparer.Ordinal),
        ],
        [.. _producers.Values.Where(p => p.IsJournaled).Select(p => new ProducerOverview(p.Id, p.Node, p.Phase, p.Accepted)).OrderBy(p => p.ProducerId, StringComparer.Ordinal)],
        _latency.Summary(),
        NewestDeadLetters());

    /// <summary>The newest dead letters by item id, in one pass over them all (a heap of the few kept, not a sort of every one).</summary>
    private List<DeadLetterOverview> NewestDeadLetters()
    {
        var newest = new PriorityQueue<DeadLetteredItem, long>(OverviewDeadLetters + 1);
        foreach (var dead in _deadLetters.Values)
        {
            newest.Enqueue(dead, dead.ItemId);
            if (newest.Count > OverviewDeadLetters)
            {
                newest.Dequeue(); // the oldest of those kept
            }
        }

        return [.. newest.UnorderedItems.Select(e => e.Element).OrderByDescending(d => d.ItemId).Select(DeadLetterOverview.Of)];
    }
}
