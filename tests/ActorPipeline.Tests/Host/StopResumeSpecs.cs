using System.Text.Json;

namespace ActorPipeline.Tests.Host;

/// <summary>
/// A stop is not a finish, on the shipped Host as README starts it (the embedded default, journaling to
/// SQLite in its folder): SIGTERM mid-run, then the same command in the same folder. Across both runs
/// every item is put exactly once and completed, the first exit code says "not finished", the second 0.
/// </summary>
public sealed class StopResumeSpecs : IDisposable
{
    private const int Producers = 4;
    private const int ItemsPerProducer = 60_000;
    private const long Total = Producers * ItemsPerProducer;
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(120);
    private readonly string _folder = Directory.CreateTempSubdirectory("stop-resume-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The embedded default with a fixed, fast job: no sleeps, per-item lines off, JSON logs to read the figures.</summary>
    private static Dictionary<string, string> Job() => new()
    {
        ["DOTNET_ENVIRONMENT"] = "Container",
        ["Pipeline__Producers__Count"] = $"{Producers}",
        ["Demo__Producers__MinItems"] = $"{ItemsPerProducer}",
        ["Demo__Producers__MaxItems"] = $"{ItemsPerProducer}",
        ["Demo__Producers__MinDelay"] = "00:00:00",
        ["Demo__Producers__MaxDelay"] = "00:00:00",
        ["Pipeline__Consumers__Count"] = "4",
        ["Demo__Consumers__MaxDelay"] = "00:00:00",
        ["Pipeline__Queue__ProgressInterval"] = "00:00:00.100",
        ["Serilog__MinimumLevel__Override__ActorPipeline.Producers"] = "Warning",
        ["Serilog__MinimumLevel__Override__ActorPipeline.Consumers"] = "Warning",
    };

    private static IEnumerable<JsonElement> WithTemplate(IEnumerable<JsonElement> events, string template) =>
        events.Where(e => e.TryGetProperty("@mt", out var mt) && mt.GetString() == template);

    private static long Figure(JsonElement summary, string name) => summary.GetProperty(name).GetInt64();

    [Fact]
    public async Task Should_resume_a_run_stopped_mid_way_and_put_every_item_exactly_once_over_both_runs()
    {
        using var first = HostProcess.Start([], Job(), _folder);
        // Once progress shows items accepted, the producers are mid-way: the run takes seconds at this size.
        await first.WaitForOutputAsync(lines => lines.Any(l => l.Contains("\"Progress: ", StringComparison.Ordinal) && !l.Contains("\"Accepted\":0", StringComparison.Ordinal)), RunLimit, Ct);

        first.Terminate();

        var firstExit = await first.WaitForExitAsync(RunLimit, Ct);
        var firstSummary = Assert.Single(WithTemplate(first.JsonEvents, Templates.Summary));
        Assert.True(firstExit == ExitCodes.Unfinished, $"exit {firstExit}:\n{string.Join('\n', first.Stdout.TakeLast(20))}");
        Assert.InRange(Figure(firstSummary, "Accepted"), 1, Total - 1);
        Assert.Single(WithTemplate(first.JsonEvents, Templates.RunNotFinished));

        using var second = HostProcess.Start([], Job(), _folder);
        var secondExit = await second.WaitForExitAsync(RunLimit, Ct);

        var events = second.JsonEvents;
        var summary = Assert.Single(WithTemplate(events, Templates.Summary));
        Assert.True(secondExit == 0, $"exit {secondExit}:\n{string.Join('\n', second.Stdout.TakeLast(20))}");
        // The journal's totals over both runs: accepted once each (a second put of an item would make it more), all completed.
        Assert.Equal((Total, Total, 0L, 0L), (Figure(summary, "Accepted"), Figure(summary, "Completed"), Figure(summary, "NotCompleted"), Figure(summary, "Rejected")));
        // This process put only what the first had not: together, exactly the job.
        Assert.Equal(Total, Figure(firstSummary, "Produced") + Figure(summary, "Produced"));
        Assert.Single(WithTemplate(events, Templates.Joined));
        Assert.Single(WithTemplate(events, Templates.Completed));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
