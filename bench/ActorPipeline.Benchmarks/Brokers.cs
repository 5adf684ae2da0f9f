using System.Diagnostics;

namespace ActorPipeline.Benchmarks;

/// <summary>Starts the broker peers with bench/peers/brokers.sh for the length of a side-by-side run, and stops them by PID after.</summary>
public static class Brokers
{
    public static async Task<int> CrossAsync(LoadSettings settings, TextWriter output)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "peers", "brokers.sh");
        var folder = Directory.CreateTempSubdirectory("actor-pipeline-brokers-").FullName;
        try
        {
            var ports = (await RunAsync("bash", script, "start", folder))
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(line => line.Split('=', 2)).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0], kv => kv[1]);
            output.WriteLine($"across processes on 127.0.0.1, {settings}; RabbitMQ on {ports["RABBITMQ_PORT"]}, Redis on {ports["REDIS_PORT"]}");
            await SideBySide.RunAsync(
                [
                    SideBySide.Self(["host-cluster", .. settings.ToArgs()]),
                    SideBySide.Self(["host-cluster-ephemeral", .. settings.ToArgs()]),
                    SideBySide.Self(["rabbitmq-durable", ports["RABBITMQ_PORT"], .. settings.ToArgs()]),
                    SideBySide.Self(["rabbitmq", ports["RABBITMQ_PORT"], .. settings.ToArgs()]),
                    SideBySide.Self(["redis", ports["REDIS_PORT"], .. settings.ToArgs()]),
                ],
                output);
            return 0;
        }
        finally
        {
            await RunAsync("bash", script, "stop", folder);
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<string> RunAsync(string command, params string[] args)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {command}");
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? stdout : throw new InvalidOperationException($"{command} {string.Join(' ', args)} exited {process.ExitCode}");
    }
}
