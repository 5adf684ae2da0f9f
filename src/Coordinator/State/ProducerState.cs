namespace ActorPipeline.Coordinator.State;

/// <summary>What the coordinator knows of one producer: enough to deduplicate resent puts and to count it for the run.</summary>
internal sealed class ProducerState<TClient>(string id)
    where TClient : class
{
    public string Id { get; } = id;

    public ProducerPhase Phase { get; set; } = ProducerPhase.Unregistered;

    /// <summary>Whether it ever registered in this run (a done producer stays counted as registered).</summary>
    public bool IsAnnounced { get; set; }

    /// <summary>The producer actor, once it has been heard from in this incarnation (then it is watched).</summary>
    public TClient? Ref { get; set; }

    /// <summary>Timestamp (<see cref="TimeProvider.GetTimestamp"/>) since which a producer known only from the journal has been silent.</summary>
    public long? SilentSince { get; set; }

    /// <summary>Sequence number of its last wholly accepted put; a put at or below it is a resend.</summary>
    public long HighestAccepted { get; set; } = long.MinValue;

    public long Accepted { get; set; }

    /// <summary>The node it runs on, and how many producers that node runs (empty and 0 if it did not say).</summary>
    public string Node { get; set; } = string.Empty;

    public int NodeProducers { get; set; }

    /// <summary>A put admitted only in part (it waited for room), and how many of its items are in: a resend continues after them.</summary>
    public long PartialSequenceNr { get; set; } = long.MinValue;

    public int PartialAdmitted { get; set; }

    /// <summary>The job its puts go into, from its first accepted put on; null before. A producer puts into one job only.</summary>
    public string? Job { get; set; }

    public bool IsActive => Phase == ProducerPhase.Active;

    /// <summary>
    /// Whether any journaled event is about it. One only heard from (a put refused, say) is known live
    /// and not after a restart, so a snapshot leaves it out, as a replay of the events would.
    /// </summary>
    public bool IsJournaled =>
        IsAnnounced || Phase != ProducerPhase.Unregistered || HighestAccepted != long.MinValue || Accepted != 0 || PartialAdmitted != 0;
}
