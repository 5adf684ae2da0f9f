using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ActorPipeline.Tests.Host;

namespace ActorPipeline.ClusterTests;

/// <summary>
/// Jobs in a service, as a user in another language meets them: the shipped Host in <c>Pipeline:Mode=Service</c>,
/// three jobs opened over HTTP at different times (the middle one with poison items), a consumer node killed
/// mid-way, each job joined over HTTP; then every node stopped with SIGTERM and started again, and the job left
/// open finished.
/// </summary>
public sealed class JobServiceSpecs(ITestOutputHelper output)
{
    private const string Token = "job-spec-token-0123456789";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Should_join_each_job_when_its_own_items_settle_with_exact_reports_through_a_consumer_kill_and_a_restart()
    {
        using var cluster = new ClusterNodes(output, members: 3);
        var httpPort = HostProcess.FreePort();
        (string, string)[] service = [("Pipeline__Mode", "Service")];
        var coordinator = cluster.StartCoordinator([.. service, ("Operations__HttpPort", $"{httpPort}"), ("Operations__JobsApiEnabled", "true"), ("Operations__DashboardToken", Token)]);
        // Every item's first byte below 0x40 is poison (PoisonRate 0.25), failing for good at once.
        (string, string)[] consumers = [.. service, .. NodeSettings.Consumers(2, "00:00:00.020", "00:00:00.060"), ("Demo__Consumers__PoisonRate", "0.25"), ("Demo__Consumers__PoisonPermanent", "true")];
        var doomed = cluster.StartConsumers(consumers);
        var survivor = cluster.StartOnOwnPort("consumer", consumers);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        await WaitForApiAsync(coordinator, http);

        var alpha = await OpenAsync(http, "alpha");
        await PutAsync(http, alpha, Items(first: 0x40, count: 60));
        await doomed.WaitForOutputAsync(lines => lines.Count(l => l.Contains("got element", StringComparison.Ordinal)) >= 5, Limit, Ct);
        var bravo = await OpenAsync(http, "bravo");
        await PutAsync(http, bravo, [.. Items(first: 0x00, count: 6), .. Items(first: 0x80, count: 24)]);
        doomed.KillNow(); // what it held comes back once the cluster has downed it
        var charlie = await OpenAsync(http, "charlie");
        await PutAsync(http, charlie, Items(first: 0xc0, count: 20));
        await CloseAsync(http, alpha);
        await CloseAsync(http, bravo);

        // Not before: a closed job with items left is not settled, and its join says so when its timeout passes.
        var early = await http.GetAsync($"/api/jobs/{bravo}/join?timeout=100ms", Ct);
        Assert.Equal(HttpStatusCode.Accepted, early.StatusCode);
        Assert.True(Report(await early.Content.ReadAsStringAsync(Ct)).GetProperty("unfinished").GetInt64() > 0);

        // Each join returns when its own items settle, not waiting for the others: charlie stays open throughout.
        var joins = new[] { JoinAsync(http, alpha), JoinAsync(http, bravo) };
        var (alphaReport, alphaAt) = await joins[0];
        var (bravoReport, bravoAt) = await joins[1];
        AssertReport(alphaReport, "settled", accepted: 60, completed: 60, deadLettered: 0);
        AssertReport(bravoReport, "settled", accepted: 30, completed: 24, deadLettered: 6);
        Assert.Equal(6, bravoReport.GetProperty("deadLetters").GetArrayLength());
        var charlieMeanwhile = await ReportAsync(http, charlie);
        Assert.Equal("open", charlieMeanwhile.GetProperty("state").GetString());
        Assert.False(coordinator.HasExited, "the service stays up after its jobs settle");
        output.WriteLine($"alpha joined after {alphaAt.TotalSeconds:0.00} s: {alphaReport}");
        output.WriteLine($"bravo joined after {bravoAt.TotalSeconds:0.00} s: {bravoReport}");
        output.WriteLine($"charlie meanwhile: {charlieMeanwhile}");

        // A stop is not a finish: each node stops on SIGTERM, charlie stays open in the journal, and a restart carries on.
        coordinator.Terminate();
        survivor.Terminate();
        var stoppedWith = (await coordinator.WaitForExitAsync(Limit, Ct), await survivor.WaitForExitAsync(Limit, Ct));
        Assert.Equal((3, 3), stoppedWith); // every node says a job is still open: exit 0 would say the work is done
        coordinator = cluster.Restart(coordinator);
        survivor = cluster.Restart(survivor);
        doomed = cluster.Restart(doomed); // all three again: the cluster waits for its minimum of members
        await WaitForApiAsync(coordinator, http);

        var reopened = await ReportAsync(http, charlie);
        Assert.Equal(("open", 20L), (reopened.GetProperty("state").GetString(), reopened.GetProperty("accepted").GetInt64()));
        await PutAsync(http, charlie, Items(first: 0xe0, count: 10));
        await CloseAsync(http, charlie);
        var (charlieReport, charlieAt) = await JoinAsync(http, charlie);
        AssertReport(charlieReport, "settled", accepted: 30, completed: 30, deadLettered: 0);
        output.WriteLine($"charlie joined after the restart, {charlieAt.TotalSeconds:0.00} s after its join was asked: {charlieReport}");
        Assert.False(coordinator.HasExited);
    }

    private static void AssertReport(JsonElement report, string state, long accepted, long completed, long deadLettered)
    {
        var actual = (
            report.GetProperty("state").GetString(),
            report.GetProperty("accepted").GetInt64(),
            report.GetProperty("completed").GetInt64(),
            report.GetProperty("deadLettered").GetInt64(),
            report.GetProperty("discarded").GetInt64(),
            report.GetProperty("unfinished").GetInt64());
        Assert.Equal((state, accepted, completed, deadLettered, 0L, 0L), actual);
    }

    /// <summary>Items of two bytes: the first from <paramref name="first"/> up (below 0x40 is poison), the second a counter.</summary>
    private static string[] Items(int first, int count) =>
        [.. Enumerable.Range(0, count).Select(i => Convert.ToBase64String([(byte)(first + (i % 0x20)), (byte)i]))];

    /// <summary>
    /// The node's HTTP server is up once it says so; its jobs API then answers as soon as the coordinator does (the
    /// API resends until the cluster's coordinator answers), so one list, waited for, says the service is ready.
    /// </summary>
    private static async Task WaitForApiAsync(HostProcess node, HttpClient http)
    {
        await node.WaitForOutputAsync(lines => lines.Any(l => l.Contains("HTTP server on", StringComparison.Ordinal)), Limit, Ct);
        using var response = await http.GetAsync("/api/jobs", Ct);
        Assert.True(response.IsSuccessStatusCode, $"the jobs API answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
    }

    private static async Task<string> OpenAsync(HttpClient http, string name)
    {
        var response = await http.PostAsJsonAsync("/api/jobs", new { name }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return Report(await response.Content.ReadAsStringAsync(Ct)).GetProperty("id").GetString()!;
    }

    private static async Task PutAsync(HttpClient http, string job, string[] items)
    {
        var response = await http.PostAsJsonAsync($"/api/jobs/{job}/items", items, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.Equal(items.Length, Report(body).GetProperty("accepted").GetInt32());
    }

    private static async Task CloseAsync(HttpClient http, string job)
    {
        var response = await http.PostAsync($"/api/jobs/{job}/close", null, Ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    private static async Task<JsonElement> ReportAsync(HttpClient http, string job) =>
        Report(await http.GetStringAsync($"/api/jobs/{job}", Ct));

    private static async Task<(JsonElement Report, TimeSpan After)> JoinAsync(HttpClient http, string job)
    {
        var started = Stopwatch.StartNew();
        var response = await http.GetAsync($"/api/jobs/{job}/join?timeout=80s", Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"join of {job}: {(int)response.StatusCode} {body}");
        return (Report(body), started.Elapsed);
    }

    private static JsonElement Report(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
