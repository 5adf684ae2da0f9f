namespace ActorPipeline.Consumers;

/// <summary>How the runner drives a node's consumers.</summary>
internal static class ConsumerProtocol
{
    /// <summary>Starts the configured number of consumers (once; later ones are ignored).</summary>
    public sealed class StartConsuming
    {
        public static readonly StartConsuming Instance = new();
        private StartConsuming() { }
    }

    /// <summary>
    /// Cancels every consumer (the seed's <c>c.cancel()</c>); answered with <see cref="ConsumersCancelled"/>
    /// once all have stopped. Work under way is cancelled and its item goes back to the queue.
    /// </summary>
    public sealed class CancelConsumers
    {
        public static readonly CancelConsumers Instance = new();
        private CancelConsumers() { }
    }

    public sealed record ConsumersCancelled(int Consumers);

    /// <summary>
    /// Drains every consumer (a stop request on a consumer node): each asks for nothing more, finishes
    /// the item in hand and hands the items it holds but has not started back to the queue. Answered
    /// with <see cref="ConsumersDrained"/> once all are idle; cancel them afterwards.
    /// </summary>
    public sealed class DrainConsumers
    {
        public static readonly DrainConsumers Instance = new();
        private DrainConsumers() { }
    }

    /// <param name="Finished">Items completed during the drain.</param>
    /// <param name="HandedBack">Items handed back to the queue unstarted.</param>
    public sealed record ConsumersDrained(int Finished, int HandedBack);

    /// <summary>Tells one consumer to drain; it answers <see cref="ConsumerDrained"/> once idle.</summary>
    public sealed class Drain
    {
        public static readonly Drain Instance = new();
        private Drain() { }
    }

    public sealed record ConsumerDrained(int ConsumerId, int Finished, int HandedBack);

    /// <summary>Sent by a consumer to its pool before it stops because the queue was shut down.</summary>
    public sealed record ConsumerFinished(int ConsumerId);

    /// <summary>Tells one consumer to stop.</summary>
    public sealed class Cancel
    {
        public static readonly Cancel Instance = new();
        private Cancel() { }
    }
}
