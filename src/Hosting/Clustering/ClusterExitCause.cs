namespace ActorPipeline.Hosting.Clustering;

/// <summary>Why the cluster ended this node, and what becomes of the items it held: the process's last line.</summary>
/// <param name="Cause">What happened, e.g. downed by the split-brain resolver.</param>
/// <param name="Items">What happens to this node's items (redelivered, resumed, or none held).</param>
internal sealed record ClusterExitCause(string Cause, string Items);
