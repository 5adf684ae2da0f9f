using System.Diagnostics;
using System.Globalization;

namespace ActorPipeline.Benchmarks;

/// <summary>
/// Runs each contender in a process of its own (so one's memory and JIT state do not colour another's),
/// one after the other with the same settings, collects their JSON lines and prints the table with each
/// one's ratio to the first.
/// </summary>
public static class SideBySide
{
    public static async Task<IReadOnlyList<LoadResult>> RunAsync(IReadOnlyList<string[]> runs, TextWriter output)
    {
        var results = new List<LoadResult>();
        foreach (var run in runs)
        {
            var result = await RunChildAsync(run[0], run[1..]);
            output.WriteLine(result);
            results.Add(result);
        }

        output.WriteLine();
        output.WriteLine("| contender | items | items/s | × first | p50 ms | p99 ms | peak MB |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {r.Scenario} | {r.Items:N0} | {r.ItemsPerSecond:N0} | {r.ItemsPerSecond / results[0].ItemsPerSecond:F2} | {r.LatencyP50Ms:F3} | {r.LatencyP99Ms:F3} | {r.PeakMemoryMb:F0} |"));
        }

        return results;
    }

    /// <summary>This program again (<c>dotnet ActorPipeline.Benchmarks.dll scenario …</c>), or any other command, e.g. python3.</summary>
    public static string[] Self(params string[] args) => ["dotnet", typeof(SideBySide).Assembly.Location, .. args];

    private static async Task<LoadResult> RunChildAsync(string command, string[] args)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {command}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Select(LoadResult.FromJson).LastOrDefault(r => r is not null)
            ?? throw new InvalidOperationException($"{command} {string.Join(' ', args)} exited {process.ExitCode} without a result:\n{await stderr}");
    }
}
