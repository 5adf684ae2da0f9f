using ActorPipeline.Hosting.Configuration;

namespace ActorPipeline.Hosting.Jobs;

/// <summary>How the jobs client cuts puts and paces its resends: from the pipeline's settings, so that a client's put is cut like a producer's.</summary>
/// <param name="MaxItems">Most items in one put: <c>Pipeline:Queue:MaxDeliveryBatch</c>.</param>
/// <param name="MaxPutBytes">Most bytes in one put, each item counting its payload and <see cref="QueueOptions.PerItemOverheadBytes"/>.</param>
/// <param name="MaxItemBytes">Largest encoded item the queue takes.</param>
/// <param name="FirstWait">How long the first attempt of a command or put waits for its answer before it is sent again.</param>
/// <param name="MaxWait">Longest wait of one attempt; each resend doubles the wait up to it.</param>
/// <param name="JoinWait">How long one attempt of a join waits before it is sent again (a join is answered only once the job settles).</param>
/// <param name="Node">This node's name, for who asked for a cancel.</param>
internal sealed record JobClientSettings(int MaxItems, long MaxPutBytes, int MaxItemBytes, TimeSpan FirstWait, TimeSpan MaxWait, TimeSpan JoinWait, string Node)
{
    public static JobClientSettings From(PipelineOptions options, string node) => new(
        options.Queue.MaxDeliveryBatch,
        options.Producers.MaxPutBytes ?? options.Queue.FullBatchBytes,
        options.Queue.MaxItemBytes,
        options.Producers.ResendAfter,
        options.Producers.MaxResendBackoff,
        TimeSpan.FromSeconds(30),
        node);
}
