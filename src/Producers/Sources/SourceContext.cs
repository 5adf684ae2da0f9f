namespace ActorPipeline;

/// <summary>Which producer reads a source: enough for the source to partition itself and to resume.</summary>
public sealed class SourceContext
{
    /// <summary>
    /// A context for reading a source yourself, as in a unit test of the source; the pipeline makes one per producer.
    /// </summary>
    /// <param name="index">The producer's number on its node, from 0 to <paramref name="count"/> − 1.</param>
    /// <param name="count">How many producers on the node read the source.</param>
    /// <param name="producerId">The producer's id across the cluster.</param>
    /// <param name="node">The node's name.</param>
    /// <param name="skip">How many of this producer's items to skip.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not below <paramref name="count"/>, or a number is negative.</exception>
    public SourceContext(int index, int count, string producerId, string node, long skip)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentNullException.ThrowIfNull(producerId);
        ArgumentNullException.ThrowIfNull(node);
        Index = index;
        Count = count;
        ProducerId = producerId;
        Node = node;
        Skip = skip;
    }

    /// <summary>The producer's number on its node, from 0 to <see cref="Count"/> − 1 (the seed's <c>Producer 3</c>).</summary>
    public int Index { get; }

    /// <summary>How many producers on this node read the source (<c>Pipeline:Producers:Count</c>).</summary>
    public int Count { get; }

    /// <summary>The producer's id across the cluster: its node's name and its index. Stable across restarts under the same name.</summary>
    public string ProducerId { get; }

    /// <summary>The node's name (<c>Cluster:NodeName</c>, or the one it keeps in its folder): sources read on several nodes partition by it.</summary>
    public string Node { get; }

    /// <summary>
    /// How many of this producer's items the queue already accepted before a restart: a source that can repeat
    /// itself (a sorted listing, a file) starts after them, so a resumed run puts nothing twice.
    /// </summary>
    public long Skip { get; }
}
