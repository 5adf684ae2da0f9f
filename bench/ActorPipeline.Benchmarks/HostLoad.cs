using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace ActorPipeline.Benchmarks;

/// <summary>
/// The shipped service as users run it: the Host binary (built with <c>dotnet build -c Release src/Host</c>),
/// one process on its embedded default, started with the seed's settings minus the sleeps, timed as a
/// whole process from start to exit (start-up, cluster of one, run, drain, leave) next to the asyncio
/// program timed the same way. Its log goes to a file, as a service's does; the seed's per-item lines
/// are off unless asked for. The run must end with exit 0 and every item completed, or it measured nothing.
/// </summary>
public static class HostLoad
{
    /// <summary>Which journal the Host runs with: <c>Pipeline:Queue:Ephemeral</c>, the in-memory journal, or the default SQLite file.</summary>
    public enum Journal { Ephemeral, InMemory, Sqlite }

    public static async Task<LoadResult> RunHostAsync(LoadSettings settings, Journal journal, bool lines)
    {
        var folder = Directory.CreateTempSubdirectory("actor-pipeline-host-bench-").FullName;
        var log = Path.Combine(folder, "host.log");
        try
        {
            var perProducer = settings.Items / settings.Producers;
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var arg in (string[])["exec", HostDll(), "-p", $"{settings.Producers}", "-c", $"{settings.Consumers}"])
            {
                start.ArgumentList.Add(arg);
            }

            var environment = new Dictionary<string, string>
            {
                ["DOTNET_ENVIRONMENT"] = "Container", // compact JSON
                ["Pipeline__Producers__MinItems"] = $"{perProducer}",
                ["Pipeline__Producers__MaxItems"] = $"{perProducer}",
                ["Pipeline__Producers__MaxDelay"] = "00:00:00",
                ["Pipeline__Consumers__MaxDelay"] = "00:00:00",
                ["Pipeline__Queue__Capacity"] = $"{settings.Capacity}",
                ["Pipeline__Queue__ProgressInterval"] = "00:00:00",
                ["Pipeline__Persistence__Provider"] = journal == Journal.Sqlite ? "Sqlite" : "InMemory",
                ["Pipeline__Queue__Ephemeral"] = journal == Journal.Ephemeral ? "true" : "false",
            };
            if (!lines)
            {
                environment["Serilog__MinimumLevel__Override__ActorPipeline.Producers.ProducerActor"] = "Warning";
                environment["Serilog__MinimumLevel__Override__ActorPipeline.Consumers.ConsumerActor"] = "Warning";
                environment["Serilog__MinimumLevel__Override__ActorPipeline.Producers.RandomItemSource"] = "Warning";
            }

            foreach (var (key, value) in environment)
            {
                start.Environment[key] = value;
            }

            var started = Stopwatch.GetTimestamp();
            using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start the Host");
            await using (var file = File.Create(log))
            {
                await process.StandardOutput.BaseStream.CopyToAsync(file); // the service's log, to a file, as a service's goes
            }

            var stderr = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var completed = CompletedIn(log);
            if (process.ExitCode != 0 || completed != perProducer * settings.Producers)
            {
                throw new InvalidOperationException($"the Host exited {process.ExitCode} with {completed} items completed of {perProducer * settings.Producers}: it measured nothing.\n{stderr}");
            }

            var name = journal switch { Journal.Ephemeral => "ephemeral", Journal.InMemory => "in-memory journal", _ => "SQLite journal (default)" };
            return new LoadResult(
                $"shipped Host, {name}{(lines ? ", seed's lines to a file" : string.Empty)}", completed, elapsed, double.NaN, double.NaN, PeakMemoryMb(process));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The asyncio program timed as a whole process, its prints (the seed's lines) to a file if asked.</summary>
    public static async Task<LoadResult> RunAsyncioAsync(LoadSettings settings, bool prints)
    {
        var python = Path.Combine(AppContext.BaseDirectory, "peers", "asyncio_queue.py");
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])[python, $"{settings.Items}", $"{settings.Producers}", $"{settings.Consumers}", $"{settings.Capacity}", .. prints ? ["--prints"] : (string[])[]])
        {
            start.ArgumentList.Add(arg);
        }

        var log = Path.GetTempFileName();
        try
        {
            var started = Stopwatch.GetTimestamp();
            using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start python3");
            await using (var file = File.Create(log))
            {
                await process.StandardOutput.BaseStream.CopyToAsync(file);
            }

            await process.WaitForExitAsync();
            var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var result = File.ReadLines(log).Select(LoadResult.FromJson).LastOrDefault(r => r is not null)
                ?? throw new InvalidOperationException($"asyncio exited {process.ExitCode} without a result: {await process.StandardError.ReadToEndAsync()}");
            return result with { Scenario = prints ? "asyncio program, its prints to a file" : "asyncio program, no prints", Seconds = elapsed };
        }
        finally
        {
            File.Delete(log);
        }
    }

    /// <summary>The Host's Release build, beside this benchmark in the repository.</summary>
    private static string HostDll()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "Host", "bin", "Release", "net10.0", "ActorPipeline.Host.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("src/Host/bin/Release/net10.0/ActorPipeline.Host.dll is missing: run `dotnet build -c Release src/Host` first (bench/run.sh does).");
    }

    /// <summary>The coordinator's count of completed items from the run summary the Host logged.</summary>
    private static long CompletedIn(string log)
    {
        foreach (var line in File.ReadLines(log).Reverse())
        {
            if (line.Contains("\"Run summary", StringComparison.Ordinal))
            {
                using var summary = JsonDocument.Parse(line);
                return summary.RootElement.GetProperty("Completed").GetInt64();
            }
        }

        return -1;
    }

    private static double PeakMemoryMb(Process process)
    {
        try
        {
            return process.PeakWorkingSet64 / 1048576.0; // of the exited process: not available everywhere
        }
        catch (InvalidOperationException)
        {
            return double.NaN;
        }
    }
}
