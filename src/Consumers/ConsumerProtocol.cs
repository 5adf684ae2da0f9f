namespace ActorPipeline.Consumers;

/// <summary>How the runner drives a node's consumers.</summary>
public static class ConsumerProtocol
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

    /// <summary>Sent by a consumer to its pool before it stops because the queue was shut down.</summary>
    public sealed record ConsumerFinished(int ConsumerId);

    /// <summary>Tells one consumer to stop.</summary>
    public sealed class Cancel
    {
        public static readonly Cancel Instance = new();
        private Cancel() { }
    }
}
