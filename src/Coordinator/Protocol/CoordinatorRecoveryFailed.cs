namespace ActorPipeline.Coordinator.Protocol;

/// <summary>
/// Published on the local event stream when the coordinator cannot recover the queue from its journal
/// or snapshot store (unreadable data, a store that fails): the coordinator has stopped, and nothing on
/// this node will serve the queue until the cause is dealt with. The Host stops on it, exiting 1.
/// </summary>
/// <param name="Reason">What went wrong, and what to do if that is known.</param>
internal sealed record CoordinatorRecoveryFailed(string Reason);
