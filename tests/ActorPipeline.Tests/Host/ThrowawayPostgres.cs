using System.Diagnostics;

namespace ActorPipeline.Tests.Host;

/// <summary>
/// A PostgreSQL server of a spec's own, from Debian's binaries, on 127.0.0.1 and a free port, in a
/// temporary folder: the spec may stop it (<c>pg_ctl stop -m immediate</c>, a crash as far as clients
/// can tell) and start it again without disturbing the shared server other specs use. As root, the
/// server runs as the <c>postgres</c> user, which initdb requires.
/// </summary>
internal sealed class ThrowawayPostgres : IDisposable
{
    private readonly string _bin;
    private readonly string _folder;
    private readonly int _port;

    private ThrowawayPostgres(string bin, string folder, int port)
    {
        _bin = bin;
        _folder = folder;
        _port = port;
    }

    /// <summary>The connection string: short timeouts, so a stopped server is noticed in seconds.</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={_port};Username=postgres;Database=postgres;Timeout=3;Command Timeout=10";

    /// <summary>Debian's PostgreSQL binaries, if installed (CI installs them).</summary>
    public static string? FindBinaries() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin")).Where(b => File.Exists(Path.Combine(b, "pg_ctl"))).Order().LastOrDefault()
            : null;

    public static ThrowawayPostgres Create(string bin)
    {
        var folder = Directory.CreateTempSubdirectory("pg-").FullName;
        var server = new ThrowawayPostgres(bin, folder, HostProcess.FreePort());
        if (Environment.UserName == "root")
        {
            Run("chown", ["-R", "postgres", folder]);
        }

        AsServerUser($"{bin}/initdb -D {folder}/data --auth=trust -U postgres > {folder}/initdb.log 2>&1");
        server.Start();
        return server;
    }

    public void Start() =>
        AsServerUser($"{_bin}/pg_ctl -D {_folder}/data -o '-p {_port} -k {_folder} -c listen_addresses=127.0.0.1' -l {_folder}/server.log -w start > /dev/null");

    /// <summary>Stops at once, without a checkpoint: clients see their connections drop, as in a crash.</summary>
    public void StopImmediately() => AsServerUser($"{_bin}/pg_ctl -D {_folder}/data -m immediate -w stop > /dev/null");

    public void Dispose()
    {
        try
        {
            StopImmediately();
        }
        catch (InvalidOperationException)
        {
            // already stopped
        }

        Directory.Delete(_folder, recursive: true);
    }

    private static void AsServerUser(string command)
    {
        if (Environment.UserName == "root")
        {
            Run("su", ["postgres", "-s", "/bin/sh", "-c", command]);
        }
        else
        {
            Run("/bin/sh", ["-c", command]);
        }
    }

    private static void Run(string file, IReadOnlyList<string> args)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {error}");
        }
    }
}
