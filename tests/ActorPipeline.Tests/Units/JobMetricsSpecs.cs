using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using static ActorPipeline.Coordinator.Protocol.JobProtocol;

namespace ActorPipeline.Tests.Units;

/// <summary>
/// The jobs' gauges as a Prometheus scrape reads them (a <see cref="MeterListener"/> collecting the observable
/// instruments): each job's items by state, exactly as reported; a bounded number of job labels whatever the
/// number of jobs; and a forgotten job gone from the next scrape.
/// </summary>
public sealed class JobMetricsSpecs : IDisposable
{
    private static readonly DateTime Noon = new(2026, 12, 2, 12, 0, 0, DateTimeKind.Utc);

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly PipelineMetrics _metrics;

    public JobMetricsSpecs() => _metrics = new PipelineMetrics(_services.GetRequiredService<IMeterFactory>());

    [Fact]
    public void Should_export_each_jobs_items_by_state_and_the_jobs_by_phase()
    {
        _metrics.ReportJobs(
        [
            Job("import-a", JobPhase.Open, accepted: 120, completed: 90, deadLettered: 3, discarded: 0, queued: 20, inFlight: 7),
            Job("import-b", JobPhase.Closed, accepted: 50, completed: 44, deadLettered: 0, discarded: 1, queued: 0, inFlight: 5),
            Job("nightly", JobPhase.Settled, accepted: 10, completed: 8, deadLettered: 2, discarded: 0, queued: 0, inFlight: 0),
            Job("oops", JobPhase.Cancelled, accepted: 9, completed: 4, deadLettered: 0, discarded: 5, queued: 0, inFlight: 0),
        ]);

        var scrape = Scrape();

        Assert.Equal(
            new Dictionary<string, long>
            {
                ["import-a/accepted"] = 120, ["import-a/completed"] = 90, ["import-a/dead_lettered"] = 3, ["import-a/discarded"] = 0, ["import-a/unfinished"] = 27,
                ["import-b/accepted"] = 50, ["import-b/completed"] = 44, ["import-b/dead_lettered"] = 0, ["import-b/discarded"] = 1, ["import-b/unfinished"] = 5,
                ["nightly/accepted"] = 10, ["nightly/completed"] = 8, ["nightly/dead_lettered"] = 2, ["nightly/discarded"] = 0, ["nightly/unfinished"] = 0,
                ["oops/accepted"] = 9, ["oops/completed"] = 4, ["oops/dead_lettered"] = 0, ["oops/discarded"] = 5, ["oops/unfinished"] = 0,
            },
            scrape.JobItems);
        Assert.Equal(
            new Dictionary<string, long> { ["open"] = 1, ["closed"] = 1, ["settled"] = 1, ["cancelled"] = 1 },
            scrape.Jobs);
    }

    [Fact]
    public void Should_label_at_most_fifty_jobs_unsettled_and_newest_first_and_sum_the_rest_under_other()
    {
        // 55 settled jobs opened in the last hour, and 5 open ones opened before any of them: the open ones are
        // watched, so they keep their labels however old; then the 45 newest settled; the 10 oldest settled are summed.
        var settled = Enumerable.Range(0, 55)
            .Select(i => Job($"s{i:00}", JobPhase.Settled, accepted: 10 + i, completed: 10 + i, deadLettered: 0, discarded: 0, queued: 0, inFlight: 0, openedAt: Noon.AddMinutes(i)))
            .ToList();
        var open = Enumerable.Range(0, 5)
            .Select(i => Job($"o{i}", JobPhase.Open, accepted: 100, completed: 40, deadLettered: 1, discarded: 0, queued: 50, inFlight: 9, openedAt: Noon.AddDays(-1)))
            .ToList();
        _metrics.ReportJobs([.. settled, .. open]);

        var scrape = Scrape();

        var labels = scrape.JobItems.Keys.Select(k => k[..k.IndexOf('/', StringComparison.Ordinal)]).ToHashSet();
        Assert.Equal(JobGauges.MaxJobsLabelled + 1, labels.Count);
        Assert.Subset(labels, open.Select(j => j.JobId).ToHashSet());
        Assert.Subset(labels, settled.Skip(10).Select(j => j.JobId).ToHashSet());
        Assert.DoesNotContain("s09", labels);
        Assert.Equal(settled.Take(10).Sum(j => j.Accepted), scrape.JobItems["(other)/accepted"]); // 10 + ... + 19
        Assert.Equal(145, scrape.JobItems["(other)/completed"]);
        Assert.Equal(0, scrape.JobItems["(other)/unfinished"]);

        // Nothing is lost to the bound: the sum over every label is every job's.
        Assert.Equal(settled.Sum(j => j.Accepted) + open.Sum(j => j.Accepted), scrape.JobItems.Where(e => e.Key.EndsWith("/accepted", StringComparison.Ordinal)).Sum(e => e.Value));
        Assert.Equal(new Dictionary<string, long> { ["open"] = 5, ["closed"] = 0, ["settled"] = 55, ["cancelled"] = 0 }, scrape.Jobs);
    }

    [Fact]
    public void Should_drop_a_job_from_the_next_scrape_once_the_coordinator_forgot_it()
    {
        var kept = Job("kept", JobPhase.Open, accepted: 3, completed: 1, deadLettered: 0, discarded: 0, queued: 2, inFlight: 0);
        var forgotten = Job("forgotten", JobPhase.Settled, accepted: 4, completed: 4, deadLettered: 0, discarded: 0, queued: 0, inFlight: 0);
        _metrics.ReportJobs([kept, forgotten]);
        Assert.Equal(4, Scrape().JobItems["forgotten/completed"]);

        _metrics.ReportJobs([kept]);

        var scrape = Scrape();
        Assert.DoesNotContain(scrape.JobItems.Keys, k => k.StartsWith("forgotten/", StringComparison.Ordinal));
        Assert.Equal(2, scrape.JobItems["kept/unfinished"]);
        Assert.Equal(0, scrape.Jobs["settled"]);
    }

    [Fact]
    public void Should_export_no_job_before_the_first_report()
    {
        var scrape = Scrape();

        Assert.Empty(scrape.JobItems);
        Assert.All(scrape.Jobs.Values, count => Assert.Equal(0, count));
    }

    public void Dispose()
    {
        _metrics.Dispose();
        _services.Dispose();
    }

    /// <summary>One collection of this instance's two job gauges: "job/state" → value, and phase → jobs.</summary>
    private (Dictionary<string, long> JobItems, Dictionary<string, long> Jobs) Scrape()
    {
        var meters = _services.GetRequiredService<IMeterFactory>();
        var items = new Dictionary<string, long>(StringComparer.Ordinal);
        var jobs = new Dictionary<string, long>(StringComparer.Ordinal);
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, meters) && instrument.Name is "actorpipeline.job.items" or "actorpipeline.jobs")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var tag = new Dictionary<string, object?>(tags.ToArray());
            if (instrument.Name == "actorpipeline.jobs")
            {
                jobs.Add((string)tag["phase"]!, value);
            }
            else
            {
                items.Add($"{tag["job"]}/{tag["state"]}", value); // Add: a label pair reported twice is a defect
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return (items, jobs);
    }

    private static JobStatus Job(
        string id, JobPhase phase, long accepted, long completed, long deadLettered, long discarded, int queued, int inFlight, DateTime? openedAt = null) =>
        new(id, $"the {id} job", phase, 1, accepted, completed, deadLettered, discarded, queued, inFlight,
            openedAt ?? Noon, null, phase is JobPhase.Settled or JobPhase.Cancelled ? Noon.AddHours(1) : null, [], []);
}
