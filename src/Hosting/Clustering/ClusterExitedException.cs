namespace ActorPipeline.Hosting.Clustering;

/// <summary>The cluster ended this node (downed, made to leave, or refused); <see cref="ClusterExit"/> has logged why.</summary>
internal sealed class ClusterExitedException() : Exception("The cluster ended this node; the log says why.");
