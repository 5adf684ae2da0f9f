using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace ActorPipeline.Tests.Host;

/// <summary>The built ActorPipeline.Host run as a real child process, its stdout and stderr collected line by line.</summary>
internal sealed class HostProcess : IDisposable
{
    private readonly Process _process;

    private HostProcess(Process process) => _process = process;

    public ConcurrentQueue<string> Stdout { get; } = new();

    public ConcurrentQueue<string> Stderr { get; } = new();

    public int Id => _process.Id;

    public int ExitCode => _process.ExitCode;

    public bool HasExited => _process.HasExited;

    /// <summary>Stdout lines parsed as compact JSON (CLEF); every line must be one.</summary>
    public List<JsonElement> JsonEvents => [.. Stdout.Select(line => JsonDocument.Parse(line).RootElement)];

    /// <param name="args">The command line.</param>
    /// <param name="environment">Settings as environment variables.</param>
    /// <param name="workingDirectory">Where it runs, and so where the embedded journal and node id live; the test's folder unless given.</param>
    public static HostProcess Start(IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ActorPipeline.Host.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Only what the spec sets: nothing from the test runner's own environment leaks into the service's configuration.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("Pipeline__", StringComparison.Ordinal) || k.StartsWith("Serilog__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start };
        var host = new HostProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { host.Stdout.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { host.Stderr.Enqueue(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        await _process.WaitForExitAsync(limit.Token);
        return _process.ExitCode;
    }

    public async Task WaitForOutputAsync(Func<IReadOnlyCollection<string>, bool> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        while (!condition(Stdout))
        {
            Assert.False(_process.HasExited, "the host exited early:\n" + string.Join('\n', Stdout.Concat(Stderr)));
            await poll.WaitForNextTickAsync(limit.Token);
        }
    }

    /// <summary>Sends SIGTERM, as docker stop and systemd do.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>A TCP port free on 127.0.0.1 right now, for a node or endpoint of a spec.</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>SIGKILL: the process gets no chance to leave the cluster or hand anything back.</summary>
    public void KillNow() => _process.Kill(entireProcessTree: true);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
