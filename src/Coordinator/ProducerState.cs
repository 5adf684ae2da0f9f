using Akka.Actor;

namespace ActorPipeline.Coordinator;

/// <summary>What the coordinator knows of one producer: enough to deduplicate resent puts and to count it for the run.</summary>
internal sealed class ProducerState(string id)
{
    public string Id { get; } = id;

    public IActorRef? Ref { get; set; }

    /// <summary>Sequence number of its last wholly accepted put; a put at or below it is a resend.</summary>
    public long HighestAccepted { get; set; } = long.MinValue;

    public long Accepted { get; set; }

    public bool IsRegistered => Ref is not null;

    public bool IsDone { get; set; }

    public bool IsLost { get; set; }
}
