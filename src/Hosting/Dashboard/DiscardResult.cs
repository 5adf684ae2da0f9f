namespace ActorPipeline.Hosting.Dashboard;

/// <summary>The answer to a discard: how many dead letters were removed from the run (ids that were not dead letters are passed over).</summary>
internal sealed record DiscardResult(int Discarded);
