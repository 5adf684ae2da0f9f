using System.Globalization;
using System.Text.Json;

namespace ActorPipeline.Tests.Host;

/// <summary>The built Host as a child process: environment overrides, JSON logs, exit codes, SIGTERM.</summary>
public sealed class HostProcessSpecs
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, string> JsonFastRun(params (string Key, string Value)[] overrides)
    {
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Container", // appsettings.Container.json: compact JSON on stdout
            ["Pipeline__Producers__Count"] = "3",
            ["Demo__Producers__MinItems"] = "5",
            ["Demo__Producers__MaxItems"] = "10",
            ["Demo__Producers__MaxDelay"] = "00:00:00.005",
            ["Pipeline__Consumers__Count"] = "4",
            ["Demo__Consumers__MaxDelay"] = "00:00:00.005",
            ["Pipeline__Persistence__Provider"] = "InMemory",
        };
        foreach (var (key, value) in overrides)
        {
            environment[key] = value;
        }

        return environment;
    }

    private static IEnumerable<JsonElement> WithTemplate(IEnumerable<JsonElement> events, string template) =>
        events.Where(e => e.TryGetProperty("@mt", out var mt) && mt.GetString() == template);

    [Fact]
    public async Task Should_run_with_environment_overrides_log_compact_json_and_exit_0()
    {
        using var host = HostProcess.Start([], JsonFastRun());

        var exitCode = await host.WaitForExitAsync(RunLimit, Ct);

        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{string.Join('\n', host.Stderr)}");
        var events = host.JsonEvents;
        var added = WithTemplate(events, Templates.Added).ToList();
        var got = WithTemplate(events, Templates.Got).ToList();
        Assert.InRange(added.Count, 15, 30);
        Assert.Equal(added.Select(e => e.GetProperty("Item").GetString()).Order(), got.Select(e => e.GetProperty("Item").GetString()).Order());
        // Every producer adds at least MinItems (5), so every producer's id is in the log, and no other.
        var producers = int.Parse(JsonFastRun()["Pipeline__Producers__Count"], CultureInfo.InvariantCulture);
        Assert.Equal(Enumerable.Range(0, producers).ToHashSet(), added.Select(e => e.GetProperty("ProducerId").GetInt32()).ToHashSet());
        Assert.Subset(new HashSet<int> { 0, 1, 2, 3 }, got.Select(e => e.GetProperty("ConsumerId").GetInt32()).ToHashSet());
        Assert.All(got, e => Assert.Equal(JsonValueKind.Number, e.GetProperty("Latency").ValueKind));
        Assert.Equal(4, WithTemplate(events, Templates.Cancelled).Count());
        var summary = Assert.Single(WithTemplate(events, Templates.Summary));
        Assert.Equal(added.Count, summary.GetProperty("Completed").GetInt32());
        Assert.Single(WithTemplate(events, Templates.Completed));
        Assert.All(added, e => Assert.False(string.IsNullOrEmpty(e.GetProperty("Node").GetString())));
    }

    [Fact]
    public async Task Should_log_no_warning_or_error_in_a_healthy_run()
    {
        // A user reads a warning as a fault: a run with nothing wrong must not print one (Akka's sources included).
        using var host = HostProcess.Start([], JsonFastRun(("Pipeline__Persistence__Provider", "Sqlite")), Directory.CreateTempSubdirectory("actor-pipeline-clean-").FullName);

        var exitCode = await host.WaitForExitAsync(RunLimit, Ct);

        Assert.Equal(0, exitCode);
        var events = host.JsonEvents;
        var loud = events.Where(e => e.TryGetProperty("@l", out var level) && level.GetString() is "Warning" or "Error" or "Fatal").Select(e => e.GetRawText()).ToList();
        Assert.Empty(loud);

        // The seed's closing line is the last: no progress, shutdown or cluster event after it.
        Assert.Equal(Templates.Completed, events[^1].GetProperty("@mt").GetString());

        // Counts read right whatever they are ("items added: 1", never "1 items added").
        var templates = events.Select(e => e.GetProperty("@mt").GetString()!).Distinct();
        Assert.All(templates, t => Assert.DoesNotMatch(@"\}\s+(items|producers|consumers|deliveries|attempts|credits|members)", t));
    }

    [Fact]
    public async Task Should_open_no_journal_file_when_the_queue_is_ephemeral()
    {
        // Ephemeral journals nothing, so the default SQLite provider is not even opened: no file appears in the working folder.
        var folder = Directory.CreateTempSubdirectory("actor-pipeline-ephemeral-").FullName;
        using var host = HostProcess.Start([], JsonFastRun(("Pipeline__Persistence__Provider", "Sqlite"), ("Pipeline__Queue__Ephemeral", "true")), folder);

        var exitCode = await host.WaitForExitAsync(RunLimit, Ct);

        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{string.Join('\n', host.Stderr)}");
        Assert.Equal(WithTemplate(host.JsonEvents, Templates.Added).Count(), Assert.Single(WithTemplate(host.JsonEvents, Templates.Summary)).GetProperty("Completed").GetInt32());
        Assert.Empty(Directory.GetFiles(folder, "actor-pipeline.db*"));
    }

    [Fact]
    public async Task Should_take_the_counts_from_the_seed_switches()
    {
        using var host = HostProcess.Start(["-p", "2", "-c", "3"], JsonFastRun());

        Assert.Equal(0, await host.WaitForExitAsync(RunLimit, Ct));

        var events = host.JsonEvents;
        var starting = Assert.Single(events, e => e.TryGetProperty("Producers", out _) && e.TryGetProperty("ItemType", out _));
        Assert.Equal((2, 3), (starting.GetProperty("Producers").GetInt32(), starting.GetProperty("Consumers").GetInt32()));
        Assert.Equal(3, WithTemplate(events, Templates.Cancelled).Count());
        Assert.All(WithTemplate(events, Templates.Added), e => Assert.InRange(e.GetProperty("ProducerId").GetInt32(), 0, 1));
    }

    [Theory]
    [InlineData("Pipeline__Producers__Count", "-1", "Pipeline:Producers:Count")]
    [InlineData("Demo__Consumers__MaxDelay", "soon", "Demo:Consumers:MaxDelay")]
    [InlineData("Pipeline__Producers__Cuont", "3", "Pipeline:Producers:Cuont")]
    public async Task Should_refuse_to_start_with_invalid_configuration_in_one_line_naming_the_key(string variable, string value, string key)
    {
        using var host = HostProcess.Start([], new Dictionary<string, string> { [variable] = value });

        Assert.Equal(1, await host.WaitForExitAsync(RunLimit, Ct));

        var line = Assert.Single(host.Stderr);
        Assert.StartsWith("Invalid configuration: ", line, StringComparison.Ordinal);
        Assert.Contains(key, line, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Stdout, l => l.Contains(" at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_drain_and_exit_3_saying_the_run_is_not_finished_on_sigterm_mid_run()
    {
        using var host = HostProcess.Start([], JsonFastRun(
            ("Demo__Producers__MinItems", "10000"),
            ("Demo__Producers__MaxItems", "10000"),
            ("Demo__Producers__MinDelay", "00:00:00.005"),
            ("Demo__Producers__MaxDelay", "00:00:00.010")));
        await host.WaitForOutputAsync(lines => lines.Count(l => l.Contains("added <", StringComparison.Ordinal)) >= 10, RunLimit, Ct);

        host.Terminate();

        Assert.Equal(ExitCodes.Unfinished, await host.WaitForExitAsync(RunLimit, Ct));
        var events = host.JsonEvents;
        Assert.Single(WithTemplate(events, Templates.Draining));
        var summary = Assert.Single(WithTemplate(events, Templates.Summary));
        var produced = summary.GetProperty("Produced").GetInt32();
        Assert.InRange(produced, 10, 29_999);
        Assert.Equal(produced, summary.GetProperty("Accepted").GetInt32());
        Assert.Equal(produced, summary.GetProperty("Completed").GetInt32() + summary.GetProperty("NotCompleted").GetInt32());
        Assert.Equal(4, WithTemplate(events, Templates.Cancelled).Count());
        Assert.Single(WithTemplate(events, Templates.RunNotFinished));
        Assert.Empty(WithTemplate(events, Templates.Completed)); // the seed's last line is for a run that finished
        Assert.Single(WithTemplate(events, Templates.StoppedUnfinished));
    }

    [Fact]
    public async Task Should_serve_prometheus_metrics_and_health_while_running()
    {
        var metricsPort = HostProcess.FreePort();
        var healthPort = metricsPort; // one server serves both
        using var host = HostProcess.Start([], JsonFastRun(
            ("Operations__HttpPort", $"{metricsPort}"),
            ("Operations__MetricsEnabled", "true"),
            ("Operations__HealthEnabled", "true"),
            ("Demo__Producers__MinItems", "10000"),
            ("Demo__Producers__MaxItems", "10000"),
            ("Demo__Producers__MinDelay", "00:00:00.005")));
        await host.WaitForOutputAsync(lines => lines.Count(l => l.Contains("got element", StringComparison.Ordinal)) >= 10, RunLimit, Ct);
        using var http = new HttpClient();

        var scrape = await http.GetStringAsync(new Uri($"http://127.0.0.1:{metricsPort}/metrics"), Ct);
        var ready = await http.GetAsync(new Uri($"http://127.0.0.1:{healthPort}/health/ready"), Ct);

        var accepted = scrape.Split('\n').Single(l => l.StartsWith("actorpipeline_items_accepted_total", StringComparison.Ordinal));
        Assert.True(double.Parse(accepted.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture) >= 10, accepted);
        Assert.Contains("actorpipeline_queue_unfinished", scrape, StringComparison.Ordinal);
        Assert.Contains("actorpipeline_item_latency_seconds_bucket", scrape, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("\"coordinator\"", await ready.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        host.Terminate();
        Assert.Equal(ExitCodes.Unfinished, await host.WaitForExitAsync(RunLimit, Ct));
    }

    [Fact]
    public async Task Should_exit_3_with_one_clear_line_when_stopped_while_still_joining_its_seeds()
    {
        using var host = HostProcess.Start([], JsonFastRun(
            ("Cluster__Roles", "consumer"),
            ("Cluster__SeedNodes", $"akka.tcp://actor-pipeline@127.0.0.1:{HostProcess.FreePort()}"))); // nobody there: it keeps trying to join
        await host.WaitForOutputAsync(lines => lines.Any(l => l.Contains("Application started", StringComparison.Ordinal)), RunLimit, Ct);

        host.Terminate();

        Assert.Equal(ExitCodes.Unfinished, await host.WaitForExitAsync(RunLimit, Ct));
        var events = host.JsonEvents;
        Assert.Single(WithTemplate(events, Templates.StoppedBeforeRun));
        Assert.DoesNotContain(events, e => e.TryGetProperty("@l", out var level) && level.GetString() is "Fatal" or "Error");
        Assert.DoesNotContain(host.Stdout, l => l.Contains("TaskCanceledException", StringComparison.Ordinal));
    }
}
