namespace ActorPipeline.Host.Dashboard;

/// <summary>The body of a requeue: the dead letters to put back, or none (or no body) for every one.</summary>
public sealed record RequeueRequest(IReadOnlyList<long>? ItemIds);
