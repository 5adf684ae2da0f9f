using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ActorPipeline.Benchmarks;

/// <summary>What one load scenario measured; printed as one JSON line so that a parent run can collect it.</summary>
/// <param name="Scenario">What ran, e.g. <c>coordinator</c>, <c>channel</c>, <c>asyncio</c>.</param>
/// <param name="Items">Items put, got and marked done (the join's count).</param>
/// <param name="Seconds">From the first put to the join's answer.</param>
/// <param name="LatencyP50Ms">Median put→get latency.</param>
/// <param name="LatencyP99Ms">99th percentile put→get latency.</param>
/// <param name="PeakMemoryMb">The process's peak working set (RSS).</param>
public sealed record LoadResult(string Scenario, long Items, double Seconds, double LatencyP50Ms, double LatencyP99Ms, double PeakMemoryMb)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals, // NaN latencies when none were kept (--latency-every 0)
    };

    [JsonIgnore] // derived, and infinite for a part-result that has no duration of its own
    public double ItemsPerSecond => Items / Seconds;

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static LoadResult? FromJson(string line) =>
        line.StartsWith('{') ? JsonSerializer.Deserialize<LoadResult>(line, Json) : null;

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Scenario,-28} {Items,10:N0} items {Seconds,8:F3} s {ItemsPerSecond,14:N0} items/s  p50 {LatencyP50Ms,8:F3} ms  p99 {LatencyP99Ms,8:F3} ms  peak {PeakMemoryMb,7:F0} MB");
}
