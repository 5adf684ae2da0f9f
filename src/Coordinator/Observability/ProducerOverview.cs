namespace ActorPipeline.Coordinator.Observability;

/// <summary>One producer of the run as the coordinator sees it, for the operator's page.</summary>
/// <param name="ProducerId">The producer's stable id (its node's name and its number there).</param>
/// <param name="Node">The node it said it runs on; empty if it never registered.</param>
/// <param name="Phase">Where it is in the run.</param>
/// <param name="Accepted">Items of it the queue accepted in this run.</param>
internal sealed record ProducerOverview(string ProducerId, string Node, ProducerPhase Phase, long Accepted);
