namespace ActorPipeline.Hosting.Operations;

/// <summary>The run stopped because this node's coordinator could not recover the queue; the coordinator has logged why.</summary>
internal sealed class CoordinatorRecoveryFailedException(string reason) : Exception(reason);
