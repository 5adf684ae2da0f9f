namespace ActorPipeline.Hosting.Dashboard;

/// <summary>Put→get percentiles in milliseconds, over <paramref name="Count"/> deliveries of the last <paramref name="WindowSeconds"/>.</summary>
internal sealed record LatencyView(int Count, double WindowSeconds, double P50Ms, double P90Ms, double P99Ms, double MaxMs);
