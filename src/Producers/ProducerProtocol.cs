namespace ActorPipeline.Producers;

/// <summary>How the runner drives a node's producers, and how they report back.</summary>
public static class ProducerProtocol
{
    /// <summary>Starts the configured number of producers (once; later ones are ignored).</summary>
    public sealed class StartProducing
    {
        public static readonly StartProducing Instance = new();
        private StartProducing() { }
    }

    /// <summary>Producers put nothing more; a put already sent is still awaited, so nothing half-sent is lost.</summary>
    public sealed class StopProducing
    {
        public static readonly StopProducing Instance = new();
        private StopProducing() { }
    }

    /// <summary>Answered with <see cref="ProducersFinished"/> once every producer has finished (asyncio's <c>gather</c>).</summary>
    public sealed class WhenProducersFinished
    {
        public static readonly WhenProducersFinished Instance = new();
        private WhenProducersFinished() { }
    }

    /// <summary>One producer's outcome, sent to its pool.</summary>
    public sealed record ProducerFinished(int ProducerId, long Added, long Rejected, bool Failed);

    /// <summary>Every producer of the node is done.</summary>
    /// <param name="Producers">Producers the node started.</param>
    /// <param name="Added">Items the queue accepted.</param>
    /// <param name="Rejected">Items the queue refused (it was shut down).</param>
    /// <param name="Failed">Producers whose source failed or which stopped unexpectedly.</param>
    public sealed record ProducersFinished(int Producers, long Added, long Rejected, int Failed);
}
