namespace ActorPipeline.Host.Dashboard;

/// <summary>One consumer's row: what it holds, what it finished and how fast over the rate window.</summary>
/// <param name="Consumer">The consumer actor's path.</param>
/// <param name="InHand">Deliveries it holds unfinished.</param>
/// <param name="Completed">Items it completed while holding them.</param>
/// <param name="Rate">Items it completed per second over <see cref="RunHistory.RateWindow"/>.</param>
/// <param name="Connected">
/// False for one the coordinator no longer knows (stopped, or cancelled at the run's end): its row keeps
/// its last figures for the charts' span, so the page still says who did the work.
/// </param>
public sealed record ConsumerView(string Consumer, int InHand, long Completed, double Rate, bool Connected);
