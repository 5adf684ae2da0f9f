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

    private static UserPipelineHarness Service(JobItemHandler handler, params (string Key, string Value)[] settings) => new(
        pipeline => pipeline.AddItemSource<WorkItemSource>().AddWorkHandler<JobItemHandler>(),
        services => services.AddSingleton(new WorkItemSource(5)).AddSingleton(handler),
        [("Pipeline:Mode", "Service"), ("Pipeline:Producers:Count", "1"), ("Pipeline:Consumers:Prefetch", "1"), ("Cluster:NodeName", "node-a"), .. settings]);

    private static IEnumerable<WorkItem> Items(int producer) => Enumerable.Range(1, PerJob).Select(n => new WorkItem(producer, n));

    private static (JobState, long, long, long, long, long) Counts(JobReport report) =>
        (report.State, report.Accepted, report.Completed, report.DeadLettered, report.Discarded, report.Unfinished);
}
