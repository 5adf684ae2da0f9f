namespace ActorPipeline.Hosting.Operations;

/// <summary>Why a run ended before it began: this node's coordinator could not recover the queue (it has logged why). Never thrown: the run's result carries it.</summary>
internal sealed class CoordinatorRecoveryFailedException(string reason) : Exception(reason);
