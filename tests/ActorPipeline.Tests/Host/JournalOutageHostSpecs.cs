using System.Text.Json;

namespace ActorPipeline.Tests.Host;

/// <summary>
/// The shipped Host on a real PostgreSQL journal that is stopped mid-run (as a crash: <c>-m immediate</c>)
/// and started again: the coordinator restarts with back-off until the journal answers, and the run
/// completes with nothing lost. Needs Debian's PostgreSQL binaries, which CI installs (it sets
/// <c>ACTORPIPELINE_TEST_POSTGRES</c>); without them the spec is skipped.
/// </summary>
public sealed class JournalOutageHostSpecs
{
    private const int Producers = 3;
    private const int ItemsPerProducer = 3000;
    private const long Total = Producers * ItemsPerProducer;
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(120);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static IEnumerable<JsonElement> WithTemplate(IEnumerable<JsonElement> events, string template) =>
        events.Where(e => e.TryGetProperty("@mt", out var mt) && mt.GetString() == template);

    [Fact]
    public async Task Should_finish_the_run_with_nothing_lost_when_postgresql_stops_mid_run_and_comes_back()
    {
        if (Environment.GetEnvironmentVariable("ACTORPIPELINE_TEST_POSTGRES") is not { Length: > 0 } || ThrowawayPostgres.FindBinaries() is not { } bin)
        {
            Assert.Skip("ACTORPIPELINE_TEST_POSTGRES is not set or PostgreSQL is not installed; CI has both");
            return;
        }

        using var postgres = ThrowawayPostgres.Create(bin);
        var healthPort = HostProcess.FreePort();
        var folder = Directory.CreateTempSubdirectory("outage-").FullName;
        using var host = HostProcess.Start([], new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Container",
            ["Operations__HealthEnabled"] = "true",
            ["Operations__HttpPort"] = $"{healthPort}",
            ["Pipeline__Persistence__Provider"] = "PostgreSql",
            ["Pipeline__Persistence__ConnectionString"] = postgres.ConnectionString,
            ["Pipeline__Producers__Count"] = $"{Producers}",
            ["Demo__Producers__MinItems"] = $"{ItemsPerProducer}",
            ["Demo__Producers__MaxItems"] = $"{ItemsPerProducer}",
            ["Demo__Producers__MinDelay"] = "00:00:00.001", // a few seconds of producing: the outage falls mid-run
            ["Demo__Producers__MaxDelay"] = "00:00:00.002",
            ["Pipeline__Consumers__Count"] = "4",
            ["Demo__Consumers__MaxDelay"] = "00:00:00.001",
            ["Pipeline__Queue__ProgressInterval"] = "00:00:00.500",
            ["Pipeline__Queue__JournalRetryBackoff"] = "00:00:00.200",
            ["Pipeline__Queue__MaxJournalRetryBackoff"] = "00:00:01",
            ["Serilog__MinimumLevel__Override__ActorPipeline.Producers"] = "Warning",
            ["Serilog__MinimumLevel__Override__ActorPipeline.Consumers"] = "Warning",
        }, folder);
        try
        {
            await host.WaitForOutputAsync(lines => lines.Any(l => l.Contains("\"Progress: ", StringComparison.Ordinal) && !l.Contains("\"Accepted\":0", StringComparison.Ordinal)), RunLimit, Ct);

            postgres.StopImmediately();
            // Down long enough for the coordinator to fail, restart, and fail its recovery too.
            await host.WaitForOutputAsync(lines => lines.Any(l => l.Contains("The journal failed", StringComparison.Ordinal) && l.Contains("\"Failures\":2", StringComparison.Ordinal)), RunLimit, Ct);
            using (var http = new HttpClient())
            {
                // Readiness says what is wrong while it is wrong, not just that the coordinator is quiet.
                var ready = await http.GetAsync(new Uri($"http://127.0.0.1:{healthPort}/health/ready"), Ct);
                Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, ready.StatusCode);
                Assert.Contains("journal has been failing", await ready.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            }

            postgres.Start();

            var exit = await host.WaitForExitAsync(RunLimit, Ct);

            var events = host.JsonEvents;
            Assert.True(exit == 0, $"exit {exit}:\n{string.Join('\n', host.Stdout.TakeLast(30))}");
            var summary = Assert.Single(WithTemplate(events, Templates.Summary));
            Assert.Equal((Total, Total, 0L), (summary.GetProperty("Accepted").GetInt64(), summary.GetProperty("Completed").GetInt64(), summary.GetProperty("NotCompleted").GetInt64()));
            Assert.Contains(host.Stdout, l => l.Contains("The journal stores writes again after", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Should_say_the_queues_figures_are_unknown_rather_than_zero_when_stopped_while_the_journal_is_down()
    {
        var folder = Directory.CreateTempSubdirectory("outage-").FullName;
        using var host = HostProcess.Start([], new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Container",
            ["Pipeline__Persistence__Provider"] = "PostgreSql",
            ["Pipeline__Persistence__ConnectionString"] = $"Host=127.0.0.1;Port={HostProcess.FreePort()};Username=nobody;Database=nothing;Timeout=1",
            ["Pipeline__Queue__JournalRetryBackoff"] = "00:00:00.200",
            ["Pipeline__Drain__Timeout"] = "00:00:02",
        }, folder);
        try
        {
            await host.WaitForOutputAsync(lines => lines.Any(l => l.Contains("The journal failed", StringComparison.Ordinal)), RunLimit, Ct);

            host.Terminate();

            Assert.Equal(ExitCodes.Unfinished, await host.WaitForExitAsync(RunLimit, Ct));
            var events = host.JsonEvents;
            Assert.Empty(WithTemplate(events, Templates.Summary)); // no "0 accepted" from a node that cannot know
            Assert.Single(WithTemplate(events, Templates.SummaryWithoutCoordinator));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
