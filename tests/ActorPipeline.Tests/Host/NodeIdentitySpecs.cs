using System.Text.Json;

namespace ActorPipeline.Tests.Host;

/// <summary>The embedded default as a user runs it (the built Host, its SQLite journal in the working folder): killed and started again, and a node that cannot join.</summary>
public sealed class NodeIdentitySpecs : IDisposable
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(60);
    private readonly string _folder = Directory.CreateTempSubdirectory("actor-pipeline-resume-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Should_finish_an_interrupted_embedded_run_when_started_again_in_the_same_folder()
    {
        // The default journal (SQLite, ./actor-pipeline.db) and a free port: only the folder is the same.
        var settings = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Container", // compact JSON on stdout, to read the events back
            ["Demo__Seed"] = "444",
            ["Pipeline__Producers__Count"] = "5",
            ["Demo__Producers__MinItems"] = "30",
            ["Demo__Producers__MaxItems"] = "30",
            ["Demo__Producers__MinDelay"] = "00:00:00.010",
            ["Demo__Producers__MaxDelay"] = "00:00:00.030",
            ["Pipeline__Consumers__Count"] = "4",
            ["Demo__Consumers__MaxDelay"] = "00:00:00.005",
        };
        string[] interruptedItems;
        string firstName;
        using (var first = HostProcess.Start([], settings, _folder))
        {
            await first.WaitForOutputAsync(lines => lines.Count(l => l.Contains("added <", StringComparison.Ordinal)) >= 40, RunLimit, Ct);
            first.KillNow(); // kill -9 mid-run
            await first.WaitForExitAsync(RunLimit, Ct);
            interruptedItems = Items(first, Templates.Added);
            firstName = NodeName(first);
        }

        using var second = HostProcess.Start([], settings, _folder);
        var exitCode = await second.WaitForExitAsync(RunLimit, Ct);

        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{string.Join('\n', second.Stdout.TakeLast(30))}");
        Assert.Equal(firstName, NodeName(second)); // the same node, so the same producers
        var summary = Assert.Single(Events(second, Templates.Summary));
        Assert.Equal((150, 150, 0), (summary.GetProperty("Accepted").GetInt32(), summary.GetProperty("Completed").GetInt32(), summary.GetProperty("ProducersLost").GetInt32()));
        Assert.Equal(5, Events(second, Templates.Resuming).Count());
        // Each item was put once: 150 accepted above, and no item logged as added by both processes. (The killed
        // process's last few lines may be missing from its log: kill -9 leaves no time to write out what was queued.)
        var resumed = Items(second, Templates.Added);
        Assert.Empty(interruptedItems.Intersect(resumed));
        Assert.Equal(resumed.Length, resumed.Distinct().Count());
    }

    [Fact]
    public async Task Should_exit_1_naming_the_seeds_when_it_cannot_join_within_the_join_timeout()
    {
        var seed = $"akka.tcp://actor-pipeline@127.0.0.1:{HostProcess.FreePort()}"; // nobody listens there
        using var node = HostProcess.Start([], new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Container",
            ["Cluster__Roles"] = "consumer",
            ["Cluster__SeedNodes"] = seed,
            ["Cluster__JoinTimeout"] = "00:00:02",
            ["Pipeline__Persistence__Provider"] = "InMemory",
        }, _folder);

        var exitCode = await node.WaitForExitAsync(RunLimit, Ct);

        Assert.Equal(1, exitCode);
        var refusal = Assert.Single(Events(node, Templates.JoinTimedOut));
        Assert.Contains(seed, refusal.GetProperty("Seeds").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Should_give_a_node_without_producers_a_fresh_name_each_start_and_keep_no_file()
    {
        var pipeline = new PipelineOptions { Persistence = { ConnectionString = $"Data Source={Path.Combine(_folder, "actor-pipeline.db")}" } };
        var consumerNode = new NodeOptions { Roles = "consumer" };

        var first = NodeIdentity.Resolve(consumerNode, pipeline);
        var second = NodeIdentity.Resolve(consumerNode, pipeline);

        Assert.NotEqual(first, second);
        Assert.Empty(Directory.GetFileSystemEntries(_folder));

        // A node that runs producers keeps today's rule: an id kept beside the journal, the same on every start.
        var embedded = new NodeOptions();
        Assert.Equal(NodeIdentity.Resolve(embedded, pipeline), NodeIdentity.Resolve(embedded, pipeline));
        Assert.True(File.Exists(Path.Combine(_folder, NodeIdentity.FileName)));
    }

    private static IEnumerable<JsonElement> Events(HostProcess host, string template) =>
        host.Stdout.Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.TryGetProperty("@mt", out var mt) && mt.GetString() == template);

    private static string[] Items(HostProcess host, string template) =>
        [.. Events(host, template).Select(e => e.GetProperty("Item").GetString()!)];

    private static string NodeName(HostProcess host) => Events(host, Templates.NodeAddress).Single().GetProperty("NodeName").GetString()!;
}
