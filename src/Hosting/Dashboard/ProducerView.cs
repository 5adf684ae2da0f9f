namespace ActorPipeline.Hosting.Dashboard;

/// <summary>One producer's row: its phase, the items of it accepted, and how fast over the rate window.</summary>
internal sealed record ProducerView(string ProducerId, string Node, string Phase, long Accepted, double Rate);
