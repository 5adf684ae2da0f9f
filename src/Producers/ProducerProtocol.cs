namespace ActorPipeline.Producers;

/// <summary>How the runner drives a node's producers, and how they report back.</summary>
internal static class ProducerProtocol
{
    /// <summary>Starts the configured number of producers (once; later ones are ignored).</summary>
    public sealed class StartProducing
    {
        public static readonly StartProducing Instance = new();
        private StartProducing() { }
    }

    /// <summary>
    /// Producers put nothing more for now: a put already sent is still awaited, so nothing half-sent is lost,
    /// but a producer whose source has not ended is <em>not</em> done. It tells the coordinator nothing more, so
    /// its place in the run stays as the journal holds it, and a restart of the node resumes after its last
    /// accepted item. A stop is not a finish.
    /// </summary>
    public sealed class StopProducing
    {
        /// <summary>Stop, but wait for the answer to a put in flight first.</summary>
        public static readonly StopProducing Instance = new(abandonPutInFlight: false);

        /// <summary>
        /// Stop now, without waiting any longer for a put's answer (the drain timed out: the coordinator is
        /// unreachable, or the queue is full). Whether that put was accepted is left to the restart, which
        /// learns it from the coordinator when the producer registers again.
        /// </summary>
        public static readonly StopProducing Now = new(abandonPutInFlight: true);

        private StopProducing(bool abandonPutInFlight) => AbandonPutInFlight = abandonPutInFlight;

        public bool AbandonPutInFlight { get; }
    }

    /// <summary>Answered with <see cref="ProducersFinished"/> once every producer has finished (asyncio's <c>gather</c>).</summary>
    public sealed class WhenProducersFinished
    {
        public static readonly WhenProducersFinished Instance = new();
        private WhenProducersFinished() { }
    }

    /// <summary>One producer's outcome, sent to its pool.</summary>
    /// <param name="ProducerId">Its number on its node.</param>
    /// <param name="Added">Items the queue accepted from it in this process.</param>
    /// <param name="Rejected">Items the queue refused.</param>
    /// <param name="Failed">Its source failed, or an item was refused for good.</param>
    /// <param name="StoppedEarly">A stop request ended it before its source did: it is not done, and resumes when its node starts again.</param>
    public sealed record ProducerFinished(int ProducerId, long Added, long Rejected, bool Failed, bool StoppedEarly = false);

    /// <summary>Every producer of the node is done.</summary>
    /// <param name="Producers">Producers the node started.</param>
    /// <param name="Added">Items the queue accepted.</param>
    /// <param name="Rejected">Items the queue refused (it was shut down).</param>
    /// <param name="Failed">Producers whose source failed or which stopped unexpectedly.</param>
    /// <param name="StoppedEarly">Producers a stop request ended before their source did: not done, resumed by a restart.</param>
    public sealed record ProducersFinished(int Producers, long Added, long Rejected, int Failed, int StoppedEarly = 0);
}
