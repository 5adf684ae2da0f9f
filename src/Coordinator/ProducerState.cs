using Akka.Actor;

namespace ActorPipeline.Coordinator;

/// <summary>What the coordinator knows of one producer: enough to deduplicate resent puts and to count it for the run.</summary>
internal sealed class ProducerState(string id)
{
    public string Id { get; } = id;

    /// <summary>The producer actor, once it has been heard from in this incarnation (then it is watched).</summary>
    public IActorRef? Ref { get; set; }

    /// <summary>When this incarnation started waiting to hear from a producer known only from the journal.</summary>
    public long? SilentSince { get; set; }

    /// <summary>Sequence number of its last wholly accepted put; a put at or below it is a resend.</summary>
    public long HighestAccepted { get; set; } = long.MinValue;

    public long Accepted { get; set; }

    /// <summary>A put admitted only in part (it waited for room), and how many of its items are in: a resend continues after them.</summary>
    public long PartialSequenceNr { get; set; } = long.MinValue;

    public int PartialAdmitted { get; set; }

    public bool IsAnnounced { get; set; }

    public bool IsDone { get; set; }

    public bool IsLost { get; set; }

    /// <summary>Announced and neither done nor lost: the run waits for it.</summary>
    public bool IsActive => IsAnnounced && !IsDone && !IsLost;
}
