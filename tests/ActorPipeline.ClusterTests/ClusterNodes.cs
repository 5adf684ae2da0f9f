using System.Text.Json;
using ActorPipeline.Tests.Host;

namespace ActorPipeline.ClusterTests;

/// <summary>
/// Starts Host processes as nodes of one cluster on 127.0.0.1 (a coordinator that is its own seed,
/// producer and consumer nodes), with JSON logs and short failure-detection times, and kills them
/// all when disposed, whatever happened. With <paramref name="tls"/> every node it starts links by
/// mutual TLS with the cluster's certificate.
/// </summary>
internal sealed class ClusterNodes(ITestOutputHelper output, int members, TestCertificates? tls = null) : IDisposable
{
    private readonly List<(string Roles, HostProcess Process)> _nodes = [];
    private readonly Dictionary<HostProcess, (string Roles, Dictionary<string, string> Environment)> _started = [];
    private readonly int _seedPort = HostProcess.FreePort();
    private readonly string _folder = Directory.CreateTempSubdirectory("actor-pipeline-cluster-").FullName;

    public string Seed => $"{(tls is null ? "akka.tcp" : "akka.ssl.tcp")}://actor-pipeline@127.0.0.1:{_seedPort}";

    /// <summary>The seed's port, for nodes that dial it otherwise than the cluster does.</summary>
    public int SeedPort => _seedPort;

    /// <summary>The seed, with the coordinator role; no producer total is set, as none is needed.</summary>
    public HostProcess StartCoordinator(params (string Key, string Value)[] settings) => Start("coordinator", _seedPort, settings);

    public HostProcess StartProducers(params (string Key, string Value)[] settings) => Start("producer", 0, settings);

    public HostProcess StartConsumers(params (string Key, string Value)[] settings) => Start("consumer", 0, settings);

    /// <summary>A node with the given roles on a port of its own, so that a restart comes back at the same address.</summary>
    public HostProcess StartOnOwnPort(string roles, params (string Key, string Value)[] settings) => Start(roles, HostProcess.FreePort(), settings);

    /// <summary>The folder the nodes' journal (and so any kept node id) is in.</summary>
    public string Folder => _folder;

    /// <summary>The journal the coordinator nodes share (SQLite), for the <c>dead-letters</c> command.</summary>
    public string JournalSetting => $"--Pipeline:Persistence:ConnectionString=Data Source={Path.Combine(_folder, "journal.db")}";

    /// <summary>The port a node was started on (0: it picked one itself).</summary>
    /// <summary>The node's name, which its producers' ids start with.</summary>
    public string NameOf(HostProcess node) => _started[node].Environment["Cluster__NodeName"];

    public int PortOf(HostProcess node) => int.Parse(_started[node].Environment["Cluster__Port"], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Starts a node again with exactly the settings it had (same roles, port, journal).</summary>
    public HostProcess Restart(HostProcess node)
    {
        var (roles, environment) = _started[node];
        return Launch(roles, environment);
    }

    public void Dispose()
    {
        foreach (var (roles, node) in _nodes)
        {
            // Every node's log ends up in the test's output, which is what one reads when a spec fails.
            var outcome = node.HasExited ? $"exit {node.ExitCode}" : "still running: killed";
            output.WriteLine($"==== {roles} node, pid {node.Id}, {outcome}");
            node.Dispose();
            foreach (var line in node.Stdout.Concat(node.Stderr))
            {
                output.WriteLine(line);
            }
        }

        Directory.Delete(_folder, recursive: true);
    }

    private HostProcess Start(string roles, int port, (string Key, string Value)[] settings)
    {
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Container",
            ["Cluster__Roles"] = roles,
            ["Cluster__Hostname"] = "127.0.0.1",
            ["Cluster__Port"] = $"{port}",
            ["Cluster__NodeName"] = $"{roles.Replace(',', '-')}-{_started.Count}", // they share one folder, so each is named; a restart keeps it
            ["Cluster__SeedNodes"] = Seed,
            ["Cluster__MinimumMembers"] = $"{members}", // the run starts once every node of the spec is in
            ["Cluster__DownUnreachableAfter"] = "00:00:02",
            ["Cluster__HeartbeatPause"] = "00:00:03", // a killed node is found at once; the containers' 10 s would slow every kill spec
            ["Cluster__RetryInterval"] = "00:00:00.500",
            ["Pipeline__Producers__ResendAfter"] = "00:00:00.500",
            ["Pipeline__Consumers__RefreshInterval"] = "00:00:00.500",
            ["Pipeline__Drain__Timeout"] = "00:00:15",
            ["Pipeline__Persistence__Provider"] = "Sqlite",
            ["Pipeline__Persistence__ConnectionString"] = $"Data Source={Path.Combine(_folder, "journal.db")}",
        };
        foreach (var (key, value) in (tls?.NodeSettings ?? []).Concat(settings))
        {
            environment[key] = value;
        }

        return Launch(roles, environment);
    }

    private HostProcess Launch(string roles, Dictionary<string, string> environment)
    {
        var node = HostProcess.Start([], environment);
        _nodes.Add((roles, node));
        _started[node] = (roles, environment);
        return node;
    }
}
