namespace ActorPipeline.Hosting.Clustering;

/// <summary>The node did not get into the cluster (join timeout, or its name is taken); the reason is logged where it is found.</summary>
internal sealed class ClusterEntryFailedException() : Exception("The node did not enter the cluster; the log says why.");
