using Akka.Actor;

namespace ActorPipeline.Consumers;

/// <summary>
/// A consumer's drain so far: who asked for it, and what the consumer finished and handed back since.
/// Kept apart from the consumer's phases so that its draining phase is a behaviour holding this, not a
/// flag beside three fields that only mean something while the flag is set.
/// </summary>
/// <param name="requester">Who asked for the drain: told <see cref="ConsumerProtocol.ConsumerDrained"/> each time the consumer is found idle.</param>
internal sealed class DrainTally(IActorRef requester)
{
    /// <summary>Who asked for the drain.</summary>
    public IActorRef Requester { get; } = requester;

    /// <summary>Items finished (done or dead-lettered) since the drain began.</summary>
    public int Finished { get; set; }

    /// <summary>Items given back to the queue unstarted: the buffer's at the drain, and deliveries that crossed it.</summary>
    public int HandedBack { get; set; }
}
