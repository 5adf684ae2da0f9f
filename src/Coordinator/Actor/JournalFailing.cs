namespace ActorPipeline.Coordinator.Actor;

/// <summary>
/// The coordinator tells its supervisor, just before it stops, that its journal failed in a way a
/// restart may mend (a write failed, or the store could not be read right now), as opposed to data it
/// cannot read, which stops the node (<see cref="CoordinatorFailure.Fail"/>). Local: parent and child.
/// </summary>
/// <param name="Reason">The journal's error, for the operator.</param>
internal sealed record JournalFailing(string Reason);
