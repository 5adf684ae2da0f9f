namespace ActorPipeline.Hosting.Dashboard;

/// <summary>The answer to a requeue: how many dead letters went back on the queue.</summary>
internal sealed record RequeueResult(int Requeued);
