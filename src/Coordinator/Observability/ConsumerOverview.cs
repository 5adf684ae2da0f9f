namespace ActorPipeline.Coordinator.Observability;

/// <summary>One consumer as the coordinator sees it, for the operator's page.</summary>
/// <param name="Consumer">The consumer actor's path, with its node's address when it is remote.</param>
/// <param name="InHand">Deliveries it holds now and has not finished.</param>
/// <param name="Completed">Items it completed while holding them, in this run and this coordinator incarnation.</param>
/// <param name="Connected">
/// False for one that has stopped (at a run's end, every one): it is kept with its last figures so the
/// page still says who did the work.
/// </param>
internal sealed record ConsumerOverview(string Consumer, int InHand, long Completed, bool Connected);
