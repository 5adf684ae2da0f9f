using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorPipeline.Benchmarks;

/// <summary>
/// The whole pipeline in this process exactly as a user's service composes it, through the public API only:
/// <c>services.AddActorPipeline</c> with a typed source (<see cref="BenchItems"/>) and handler
/// (<see cref="RecordLatency"/>), run by <c>RunActorPipelineAsync</c> (cluster of one, runner, join, drain, summary),
/// timed from the host's start to its exit code. What <c>shipped</c> adds on top is process start-up and logging.
/// </summary>
internal static class PipelineLoad
{
    public static async Task<LoadResult> RunAsync(LoadSettings settings, bool durable)
    {
        // A round first, in a host of its own, so that the measured one runs on warm (tiered, PGO) code.
        await RunRoundAsync(settings.Warmup(), durable);
        return await RunRoundAsync(settings, durable);
    }

    private static async Task<LoadResult> RunRoundAsync(LoadSettings settings, bool durable)
    {
        var data = Directory.CreateTempSubdirectory("actor-pipeline-bench-");
        try
        {
            var latencies = new LatencySamples(settings);
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Logging.ClearProviders();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Pipeline:Producers:Count"] = Invariant(settings.Producers),
                ["Pipeline:Producers:BatchSize"] = Invariant(settings.Batch),
                ["Pipeline:Consumers:Count"] = Invariant(settings.Consumers),
                ["Pipeline:Consumers:Prefetch"] = Invariant(settings.Window),
                ["Pipeline:Queue:Capacity"] = Invariant(settings.Capacity),
                ["Pipeline:Queue:ProgressInterval"] = "00:00:00",
                ["Pipeline:Persistence:Provider"] = durable ? "Sqlite" : "InMemory",
                ["Pipeline:Persistence:ConnectionString"] = $"Data Source={Path.Combine(data.FullName, "journal.db")}",
                ["Cluster:NodeName"] = "bench",
            });
            builder.Services.AddSingleton(settings).AddSingleton(latencies);
            builder.Services.AddActorPipeline(builder.Configuration, pipeline => pipeline
                .AddItemSource<BenchItems>()
                .AddWorkHandler<RecordLatency>());
            using var host = builder.Build();

            var started = Stopwatch.GetTimestamp();
            var exit = await host.RunActorPipelineAsync();
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (exit != ExitCodes.Success || latencies.Count < settings.Items)
            {
                throw new InvalidOperationException($"exit code {exit}, {latencies.Count} items handled of {settings.Items}: the run measured nothing.");
            }

            var (p50, p99) = latencies.Percentiles();
            return new LoadResult(
                $"public API in-process, {(durable ? "SQLite journal" : "in-memory journal")} (batch {settings.Batch}, prefetch {settings.Window})",
                settings.Items, elapsed.TotalSeconds, p50, p99, Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
