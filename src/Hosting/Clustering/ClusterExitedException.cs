namespace ActorPipeline.Hosting.Clustering;

/// <summary>Why a run ended: the cluster ended this node (downed, made to leave, or refused); <see cref="ClusterExit"/> logs why. Never thrown: the run's result carries it.</summary>
internal sealed class ClusterExitedException() : Exception("The cluster ended this node; the log says why.");
