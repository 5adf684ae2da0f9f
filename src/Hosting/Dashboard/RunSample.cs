namespace ActorPipeline.Hosting.Dashboard;

/// <summary>One point of the page's charts.</summary>
/// <param name="AtMs">When it was read, Unix milliseconds.</param>
/// <param name="Queued">Items queued, not yet delivered (qsize).</param>
/// <param name="Unfinished">Accepted items not yet done.</param>
/// <param name="PutRate">Items accepted per second over the rate window.</param>
/// <param name="CompletionRate">Items completed per second over the rate window.</param>
internal sealed record RunSample(long AtMs, int Queued, int Unfinished, double PutRate, double CompletionRate);
