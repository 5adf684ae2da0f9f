namespace ActorPipeline.Coordinator;

/// <summary>One consumer as the coordinator sees it, for the operator's page.</summary>
/// <param name="Consumer">The consumer actor's path, with its node's address when it is remote.</param>
/// <param name="InHand">Deliveries it holds now and has not finished.</param>
/// <param name="Completed">Items it completed while holding them, since it first asked this coordinator incarnation for work.</param>
public sealed record ConsumerOverview(string Consumer, int InHand, long Completed);
