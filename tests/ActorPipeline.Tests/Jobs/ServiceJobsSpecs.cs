using ActorPipeline.Tests.Library;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ActorPipeline.Tests.Jobs;

/// <summary>
/// A service (<c>Pipeline:Mode=Service</c>) in-process, composed as a user composes it, driven through the library's
/// jobs client: several jobs share the consumers, each join returns when its own items are settled, the reports are
/// exact, and the node's exit code says whether any job was left unsettled.
/// </summary>
public sealed class ServiceJobsSpecs
{
    private const int PerJob = 20;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Should_join_each_job_when_its_own_items_settle_with_exact_reports_and_exit_0_with_none_unsettled()
    {
        var handler = new JobItemHandler();
        await using var service = Service(handler);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(TimeSpan.FromMinutes(2));
        var ct = limit.Token;
        var running = service.RunAsync(ct);
        var jobs = service.Services.GetRequiredService<IPipelineJobs>();

        var plain = await jobs.OpenAsync("plain", cancellationToken: ct);
        var gated = await jobs.OpenAsync("gated", cancellationToken: ct);
        var poisoned = await jobs.OpenAsync("poisoned", new JobOpenOptions { Id = "poisoned-1", Weight = 2 }, ct);
        await plain.PutAsync(Items(JobItemHandler.Plain), "first", ct);
        Assert.Equal(PerJob, await plain.PutAsync(Items(JobItemHandler.Plain), "first", ct)); // the same call again adds nothing
        await gated.PutAsync(Items(JobItemHandler.Gated), cancellationToken: ct);
        await poisoned.PutAsync(Items(JobItemHandler.Poisoned), "p", ct);
        foreach (var job in new[] { plain, gated, poisoned })
        {
            await job.CloseAsync(ct);
        }

        var gatedJoin = gated.JoinAsync(ct);
        var plainReport = await plain.JoinAsync(ct);
        var poisonedReport = await poisoned.JoinAsync(ct);

        // Settled on their own while the gated job still holds an item: its join has not returned.
        Assert.False(gatedJoin.IsCompleted);
        Assert.Equal((JobState.Settled, 20L, 20L, 0L, 0L, 0L), Counts(plainReport));
        Assert.Equal((JobState.Settled, 20L, 14L, 6L, 0L, 0L), Counts(poisonedReport));
        Assert.Equal(
            [3, 6, 9, 12, 15, 18],
            poisonedReport.DeadLetters.Select(d => int.Parse(d.Item.Split('.')[1], System.Globalization.CultureInfo.InvariantCulture)).Order());
        Assert.All(poisonedReport.DeadLetters, d => Assert.Contains("poison 102.", d.Error, StringComparison.Ordinal));
        Assert.Equal([new JobProducerReport($"{plain.Id}/first", 20)], plainReport.Producers);
        Assert.NotNull(plainReport.SettledAt);
        var stillGated = await gated.GetReportAsync(ct);
        Assert.Equal(JobState.Closed, stillGated.State);
        Assert.Equal(20, stillGated.Accepted);
        Assert.True(stillGated.Unfinished >= 1);

        handler.Release();
        Assert.Equal((JobState.Settled, 20L, 20L, 0L, 0L, 0L), Counts(await gatedJoin));

        // The node's own producers put into their job, which the runner closed once they were done.
        var nodeJob = await jobs.Attach("producers.node-a").JoinAsync(ct);
        Assert.Equal((JobState.Settled, 5L, 5L, 0L, 0L, 0L), Counts(nodeJob));
        Assert.Equal(5, handler.Completed.Count(i => i.Producer == 0));
        Assert.Contains(await jobs.ListAsync(ct), j => j.Id == "poisoned-1" && j.Weight == 2 && j.DeadLetters.Count == 0);

        service.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
        var summary = await running;
        Assert.Equal(0, summary.UnsettledJobs);
        Assert.Equal(ExitCodes.Success, summary.ExitCode);
    }

    [Fact]
    public async Task Should_leave_an_open_job_open_at_a_stop_and_exit_unfinished()
    {
        // No producer role: the only jobs are the spec's.
        await using var service = Service(new JobItemHandler(), ("Cluster:Roles", "coordinator,consumer"));
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(TimeSpan.FromMinutes(2));
        var ct = limit.Token;
        var running = service.RunAsync(ct);
        var jobs = service.Services.GetRequiredService<IPipelineJobs>();
        var open = await jobs.OpenAsync("left open", cancellationToken: ct);
        await open.PutAsync(Items(JobItemHandler.Plain), cancellationToken: ct);
        var done = await jobs.OpenAsync("done", cancellationToken: ct);
        await done.PutAsync(Items(JobItemHandler.Plain), cancellationToken: ct);
        await done.CloseAsync(ct);
        await done.JoinAsync(ct); // the consumers run: the node is serving

        service.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
        var summary = await running;

        Assert.Equal(1, summary.UnsettledJobs);
        Assert.Equal(ExitCodes.Unfinished, summary.ExitCode);
        var line = Assert.Single(service.Sink.Events, e => e.MessageTemplate.Text.StartsWith("Service stopped with {Unsettled} jobs not settled", StringComparison.Ordinal));
        Assert.Equal($"\"{open.Id}\"", line.Properties["JobIds"].ToString());
    }

    [Fact]
    public async Task Should_run_a_job_through_the_http_api_of_a_service()
    {
        const string Token = "0123456789abcdef0123";
        var port = Host.HostProcess.FreePort();
        await using var service = Service(
            new JobItemHandler(), ("Cluster:Roles", "coordinator,consumer"), ("Operations:HttpPort", $"{port}"), ("Operations:HealthEnabled", "true"),
            ("Operations:DashboardToken", Token));
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(TimeSpan.FromMinutes(2));
        var ct = limit.Token;
        var running = service.RunAsync(ct);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);

        // The server starts with the node; the service's jobs API is on by default beside health.
        using (var opened = await SendUntilServedAsync(http, () => Json(HttpMethod.Post, "/api/jobs", "{\"name\": \"over http\"}"), ct))
        {
            Assert.Equal(System.Net.HttpStatusCode.Created, opened.StatusCode);
        }

        var id = (await service.Services.GetRequiredService<IPipelineJobs>().ListAsync(ct)).Single(j => j.Name == "over http").Id;
        var items = $"[{string.Join(", ", Items(JobItemHandler.Poisoned).Select(i => $"{{\"producer\": {i.Producer}, \"number\": {i.Number}}}"))}]";
        for (var call = 0; call < 2; call++)
        {
            // The same Idempotency-Key twice: the second adds nothing.
            using var request = Json(HttpMethod.Post, $"/api/jobs/{id}/items", items);
            request.Headers.Add("Idempotency-Key", "upload-1");
            using var put = await http.SendAsync(request, ct);
            Assert.Equal(System.Net.HttpStatusCode.OK, put.StatusCode);
        }

        using (var close = await http.SendAsync(Json(HttpMethod.Post, $"/api/jobs/{id}/close", ""), ct))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, close.StatusCode);
        }

        using var joined = await http.GetAsync($"/api/jobs/{id}/join?timeout=60s", ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, joined.StatusCode);
        var report = System.Text.Json.JsonDocument.Parse(await joined.Content.ReadAsStringAsync(ct)).RootElement;
        Assert.Equal(
            ("settled", 20L, 14L, 6L, 0L),
            (report.GetProperty("state").GetString(), report.GetProperty("accepted").GetInt64(), report.GetProperty("completed").GetInt64(),
                report.GetProperty("deadLettered").GetInt64(), report.GetProperty("unfinished").GetInt64()));
        Assert.Equal(6, report.GetProperty("deadLetters").GetArrayLength());

        service.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
        Assert.Equal(ExitCodes.Success, (await running).ExitCode);
    }

    /// <summary>Sends until the node's server answers (it starts with the node); a refused connection is the only thing retried.</summary>
    private static async Task<HttpResponseMessage> SendUntilServedAsync(HttpClient http, Func<HttpRequestMessage> request, CancellationToken ct)
    {
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (true)
        {
            try
            {
                return await http.SendAsync(request(), ct);
            }
            catch (HttpRequestException) when (!ct.IsCancellationRequested)
            {
                await poll.WaitForNextTickAsync(ct);
            }
        }
    }

    private static HttpRequestMessage Json(HttpMethod method, string path, string body) =>
        new(method, path) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };

    private static UserPipelineHarness Service(JobItemHandler handler, params (string Key, string Value)[] settings) => new(
        pipeline => pipeline.AddItemSource<WorkItemSource>().AddWorkHandler<JobItemHandler>(),
        services => services.AddSingleton(new WorkItemSource(5)).AddSingleton(handler),
        [("Pipeline:Mode", "Service"), ("Pipeline:Producers:Count", "1"), ("Pipeline:Consumers:Prefetch", "1"), ("Cluster:NodeName", "node-a"), .. settings]);

    private static IEnumerable<WorkItem> Items(int producer) => Enumerable.Range(1, PerJob).Select(n => new WorkItem(producer, n));

    private static (JobState, long, long, long, long, long) Counts(JobReport report) =>
        (report.State, report.Accepted, report.Completed, report.DeadLettered, report.Discarded, report.Unfinished);
}
