namespace ActorPipeline.Hosting.Dashboard;

/// <summary>One consumer's row: what it holds, what it finished and how fast over the rate window.</summary>
/// <param name="Consumer">The consumer actor's path.</param>
/// <param name="InHand">Deliveries it holds unfinished.</param>
/// <param name="Completed">Items it completed while holding them.</param>
/// <param name="Rate">Items it completed per second over <see cref="RunHistory.RateWindow"/>.</param>
/// <param name="Connected">
/// False for one that stopped (at the run's end, every one): the coordinator keeps its figures, so the
/// page still says who did the work.
/// </param>
internal sealed record ConsumerView(string Consumer, int InHand, long Completed, double Rate, bool Connected);
