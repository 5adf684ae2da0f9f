using static ActorPipeline.Coordinator.Persistence.QueueEvents;

namespace ActorPipeline.Coordinator.State;

/// <summary>
/// The operator's page's "who did the work of this run": what each consumer completed while it held the
/// item, for the consumers connected now and the latest that left. Only the page reads it, so it lives
/// apart from the queue's rules: <see cref="CoordinatorState{TClient}"/> feeds it each applied event through
/// <see cref="Observe"/> and each departure through <see cref="Departed"/>. Live only: a restarted
/// coordinator counts afresh.
/// </summary>
/// <typeparam name="TClient">How the shell addresses a consumer.</typeparam>
internal sealed class ConsumerTally<TClient>
    where TClient : class
{
    /// <summary>Consumers that left are remembered with what they completed, this many at most (the latest).</summary>
    public const int DepartedKept = 256;

    private readonly Dictionary<TClient, long> _completed = [];
    private readonly Queue<(TClient Consumer, long Completed)> _departed = new();

    /// <summary>The latest consumers that left this run, oldest first, with what each completed.</summary>
    public IEnumerable<(TClient Consumer, long Completed)> DepartedConsumers => _departed;

    /// <param name="event">An event about to be applied (its items still known to <paramref name="holderOf"/>).</param>
    /// <param name="holderOf">The consumer holding an item now, by item id; null if nobody does (queued, or in recovery).</param>
    public void Observe(IQueueEvent @event, Func<long, TClient?> holderOf)
    {
        switch (@event)
        {
            case ItemsCompleted completed:
                foreach (var id in completed.ItemIds)
                {
                    if (holderOf(id) is { } holder)
                    {
                        _completed[holder] = CompletedBy(holder) + 1;
                    }
                }

                break;
            case RunStarted:
                // The page's figures are the run's.
                _completed.Clear();
                _departed.Clear();
                break;
        }
    }

    public long CompletedBy(TClient consumer) => _completed.GetValueOrDefault(consumer);

    /// <summary>A consumer stopped: what it completed moves to the departed, which keep the latest <see cref="DepartedKept"/>.</summary>
    public void Departed(TClient consumer)
    {
        _completed.Remove(consumer, out var completed);
        _departed.Enqueue((consumer, completed));
        if (_departed.Count > DepartedKept)
        {
            _departed.Dequeue();
        }
    }
}
