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
        try
        {
            var started = Stopwatch.GetTimestamp();
            var node = await RunNodeAsync(folder, "node", RunSettings(settings, journal, lines));
            var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var completed = Expect(node, settings);
            var name = journal switch { Journal.Ephemeral => "ephemeral", Journal.InMemory => "in-memory journal", _ => "SQLite journal (default)" };
            return new LoadResult(
                $"shipped Host, {name}{(lines ? ", seed's lines to a file" : string.Empty)}", completed, elapsed, double.NaN, double.NaN, node.PeakMemoryMb);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// Three Host processes (or more, with <see cref="LoadSettings.Nodes"/> consumer nodes) on 127.0.0.1 as README's
    /// terminals start them: a coordinator node (the seed, SQLite journal unless ephemeral), a producer node and
    /// consumer nodes, timed from the first start to the last exit. Every node waits for all to join
    /// (<c>Cluster:MinimumMembers</c>), so no join window is needed and none is set.
    /// </summary>
    public static async Task<LoadResult> RunClusterAsync(LoadSettings settings, Journal journal)
    {
        var folder = Directory.CreateTempSubdirectory("actor-pipeline-cluster-bench-").FullName;
        try
        {
            var port = FreePort();
            var seed = $"akka.tcp://actor-pipeline@127.0.0.1:{port}";
            var common = RunSettings(settings, journal, lines: false);
            common["Cluster__SeedNodes"] = seed;
            common["Cluster__MinimumMembers"] = $"{2 + settings.Nodes}";
            common["Pipeline__Queue__ProducerJoinWindow"] = "00:00:00";
            Dictionary<string, string> With(string roles, int nodePort, params (string Key, string Value)[] extra)
            {
                var environment = new Dictionary<string, string>(common) { ["Cluster__Roles"] = roles, ["Cluster__Port"] = $"{nodePort}" };
                foreach (var (key, value) in extra)
                {
                    environment[key] = value;
                }

                return environment;
            }

            var started = Stopwatch.GetTimestamp();
            var nodes = new List<Task<NodeRun>>
            {
                RunNodeAsync(folder, "coordinator", With("coordinator", port)),
                RunNodeAsync(folder, "producers", With("producer", 0)),
            };
            for (var n = 0; n < settings.Nodes; n++)
            {
                var share = (settings.Consumers / settings.Nodes) + (n < settings.Consumers % settings.Nodes ? 1 : 0);
                nodes.Add(RunNodeAsync(folder, $"consumers-{n}", With("consumer", 0, ("Pipeline__Consumers__Count", $"{share}"))));
            }

            var runs = await Task.WhenAll(nodes);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var completed = Expect(runs[0], settings);
            foreach (var run in runs.Skip(1))
            {
                if (run.ExitCode != 0)
                {
                    throw new InvalidOperationException($"{run.Name} exited {run.ExitCode}: it measured nothing.\n{run.Stderr}");
                }
            }

            return new LoadResult(
                $"shipped Host, {2 + settings.Nodes} processes, {(journal == Journal.Ephemeral ? "ephemeral" : "SQLite journal")}", completed, elapsed, double.NaN, double.NaN,
                runs.Max(r => r.PeakMemoryMb));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static Dictionary<string, string> RunSettings(LoadSettings settings, Journal journal, bool lines)
    {
        var perProducer = settings.Items / settings.Producers;
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Container", // compact JSON
            ["Pipeline__Producers__Count"] = $"{settings.Producers}",
            ["Pipeline__Consumers__Count"] = $"{settings.Consumers}",
            ["Demo__Producers__MinItems"] = $"{perProducer}",
            ["Demo__Producers__MaxItems"] = $"{perProducer}",
            ["Demo__Producers__MaxDelay"] = "00:00:00",
            ["Demo__Consumers__MaxDelay"] = "00:00:00",
            ["Pipeline__Queue__Capacity"] = $"{settings.Capacity}",
            ["Pipeline__Queue__ProgressInterval"] = "00:00:00",
            ["Pipeline__Persistence__Provider"] = journal == Journal.Sqlite ? "Sqlite" : "InMemory",
            ["Pipeline__Queue__Ephemeral"] = journal == Journal.Ephemeral ? "true" : "false",
        };
        if (!lines)
        {
            // The seed's per-item lines off, as README says to: skipped before any formatting.
            environment["Serilog__MinimumLevel__Override__ActorPipeline.Producers.ProducerActor"] = "Warning";
            environment["Serilog__MinimumLevel__Override__ActorPipeline.Consumers.ConsumerActor"] = "Warning";
        }

        return environment;
    }

    private sealed record NodeRun(string Name, int ExitCode, string Log, string Stderr, double PeakMemoryMb);

    /// <summary>
    /// One Host process in a folder of its own under <paramref name="folder"/> (its journal's and its node id's, as
    /// on a machine of its own: port-0 nodes sharing a folder would share one name, see README), its log to a file
    /// as a service's goes.
    /// </summary>
    private static async Task<NodeRun> RunNodeAsync(string folder, string name, Dictionary<string, string> environment)
    {
        var workingFolder = Directory.CreateDirectory(Path.Combine(folder, name)).FullName;
        var log = Path.Combine(workingFolder, $"{name}.log");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingFolder, RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(HostDll());
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start the Host");
        var peak = PeakMemory.WatchAsync(process.Id);
        var stderr = process.StandardError.ReadToEndAsync();
        await using (var file = File.Create(log))
        {
            await process.StandardOutput.BaseStream.CopyToAsync(file);
        }

        await process.WaitForExitAsync();
        return new NodeRun(name, process.ExitCode, log, await stderr, await peak);
    }

    /// <summary>The items the run completed, from the coordinator's summary; a run that did not complete them all measured nothing.</summary>
    private static long Expect(NodeRun node, LoadSettings settings)
    {
        var expected = settings.Items / settings.Producers * settings.Producers;
        var completed = CompletedIn(node.Log);
        if (node.ExitCode != 0 || completed != expected)
        {
            throw new InvalidOperationException($"the Host ({node.Name}) exited {node.ExitCode} with {completed} items completed of {expected}: it measured nothing.\n{node.Stderr}");
        }

        return completed;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
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

    /// <summary>The Host as it ships (published, ReadyToRun, as the image has it), beside this benchmark in the repository.</summary>
    private static string HostDll()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "Host", "bin", "Release", "net10.0", "publish", "ActorPipeline.Host.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("src/Host/bin/Release/net10.0/publish/ActorPipeline.Host.dll is missing: run `dotnet publish src/Host -c Release -o src/Host/bin/Release/net10.0/publish` first (bench/run.sh does).");
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
}
