namespace ActorPipeline.Hosting.Dashboard;

/// <summary>The answer to a requeue: how many dead letters went back on the queue.</summary>
public sealed record RequeueResult(int Requeued);
