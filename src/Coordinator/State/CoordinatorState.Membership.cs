namespace ActorPipeline.Coordinator.State;

/// <summary>
/// Which producers the run waits for, with no total configured anywhere: every producer that
/// registered, every producer its node said it runs, and at least one for every producer node that
/// is a member of the cluster but has not registered any yet. So a node added with <c>--scale</c> is
/// waited for as soon as it joins, and one that stops or leaves before registering is not.
/// </summary>
internal sealed partial class CoordinatorState<TClient>
{
    // Journaled through ProducerAnnounced (each producer's node and its node's count).
    private readonly Dictionary<string, int> _nodeProducers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _announcedOnNode = new(StringComparer.Ordinal);

    // Live only: the cluster's producer nodes, as the shell hears of them (none without a cluster).
    private readonly HashSet<string> _producerMembers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _departedNodes = new(StringComparer.Ordinal);
    private long? _joinWindowStart;

    /// <summary>A cluster member with the producer role is up: the run waits for its producers.</summary>
    public void ProducerNodeUp(string node)
    {
        _departedNodes.Remove(node);
        if (_producerMembers.Add(node) && _nodeProducers.ContainsKey(node) is false)
        {
            _log.ProducerNodeUp(node);
        }
    }

    /// <summary>A producer node left the cluster or was removed: what never registered there is not waited for.</summary>
    public void ProducerNodeGone(string node)
    {
        _producerMembers.Remove(node);
        _departedNodes.Add(node); // the run may be over now that it no longer waits for this node: Settle sees to it
    }

    /// <summary>Producers the run waits for right now: those registered plus those it knows are still to come.</summary>
    private int ProducersKnown => Math.Max(_expectedProducers, _producersRegistered + ProducersToCome());

    /// <summary>Whether the producer nodes the run knows of have all registered their producers, and the join window is over.</summary>
    private bool ProducersSettled =>
        ProducersToCome() == 0
        && (_options.ProducerJoinWindow is not { } window
            || window <= TimeSpan.Zero
            || (_joinWindowStart is { } start && _time.GetElapsedTime(start) >= window));

    /// <summary>Producers a node said it runs, or at least one for a producer member, that have not registered.</summary>
    private int ProducersToCome()
    {
        var missing = 0;
        foreach (var (node, count) in _nodeProducers)
        {
            if (!_departedNodes.Contains(node))
            {
                missing += Math.Max(0, count - _announcedOnNode.GetValueOrDefault(node));
            }
        }

        foreach (var node in _producerMembers)
        {
            if (!_nodeProducers.ContainsKey(node))
            {
                missing++; // a member that has said nothing yet: at least one producer
            }
        }

        return missing;
    }

    /// <summary>Counts an announced producer under its node.</summary>
    private void CountOnNode(ProducerState<TClient> producer, string node, int nodeProducers)
    {
        if (node.Length == 0)
        {
            return;
        }

        producer.Node = node;
        producer.NodeProducers = Math.Max(producer.NodeProducers, nodeProducers);
        _nodeProducers[node] = Math.Max(_nodeProducers.GetValueOrDefault(node), nodeProducers);
        _announcedOnNode[node] = _announcedOnNode.GetValueOrDefault(node) + 1;
    }

    /// <summary>The join window runs from the first registration this incarnation hears (or from its start, if it recovered producers).</summary>
    private void StartJoinWindow() => _joinWindowStart ??= _time.GetTimestamp();
}
