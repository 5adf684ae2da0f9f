using System.Diagnostics;
using System.Net;
using System.Text.Json;
using ActorPipeline.Tests.Browser;
using ActorPipeline.Tests.Fakes;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static ActorPipeline.Coordinator.Protocol.JobProtocol;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace ActorPipeline.Tests.Host;

/// <summary>
/// The page's jobs, served by the node's HTTP server from a scripted coordinator on a fake clock, so every figure
/// is known: the JSON the page reads (each job's progress, rate and ETA, a settled job's report, one job's dead
/// letters) and, in headless Chromium, the tables an operator reads. A Run-mode node, whose only job is the run's,
/// shows the page it always did.
/// </summary>
public sealed class DashboardJobsSpecs(ITestOutputHelper output) : Akka.Hosting.TestKit.TestKit(output: output)
{
    private static readonly DateTime Ten = new(2026, 12, 2, 10, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan PageLimit = TimeSpan.FromSeconds(30);

    /// <summary>Where to write a screenshot of the jobs view with one job's dead letters open, when set.</summary>
    private const string ScreenshotVariable = "ACTORPIPELINE_JOBS_SCREENSHOT";

    private static readonly QueueOverview Overview = new(
        new QueueStatus(
            Size: 270, InFlight: 30, Capacity: 0, IsShutDown: false, Accepted: 3100, Completed: 2790, DeadLettered: 10, Dropped: 0, Redelivered: 0,
            ParkedPuts: 0, WaitingGetters: 0, DuplicateAcks: 0, Consumers: 2, ExpectedProducers: 0, ProducersRegistered: 0, ProducersDone: 0, ProducersLost: 0, Discarded: 5),
        [], [], LatencySummary.None(TimeSpan.FromMinutes(1)), []);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(Ten.AddMinutes(30)));
    private readonly DashboardFeed _feed = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly int _port = HostProcess.FreePort();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider)
    {
    }

    [Fact]
    public async Task Should_serve_each_jobs_progress_rate_and_eta_and_a_settled_jobs_report()
    {
        await using var served = await ServeAsync(knowsJobs: true);
        var (coordinator, sampler) = served;

        await ReadTwoSecondsApartAsync(coordinator, sampler);

        using var jobs = await GetJsonAsync("/api/overview/jobs");
        var root = jobs.RootElement;
        Assert.True(root.GetProperty("answering").GetBoolean());
        Assert.Equal((3, 1), (root.GetProperty("unsettled").GetInt32(), root.GetProperty("settled").GetInt32()));
        var rows = root.GetProperty("jobs").EnumerateArray().ToDictionary(j => j.GetProperty("jobId").GetString()!);
        Assert.Equal(["import-7", "export-3", "run", "nightly"], rows.Keys); // running newest first, then the settled

        // Open: 400 more accepted and 400 more settled in 2 s; no ETA while more may come.
        var import = rows["import-7"];
        Assert.Equal(("Open", 1400L, 600L), (import.GetProperty("phase").GetString(), import.GetProperty("accepted").GetInt64(), import.GetProperty("settled").GetInt64()));
        Assert.Equal((200.0, 200.0), (import.GetProperty("putRate").GetDouble(), import.GetProperty("rate").GetDouble()));
        Assert.Equal(JsonValueKind.Null, import.GetProperty("etaSeconds").ValueKind);

        // Closed: 200 settled in 2 s (dead letters count as settled), 200 left: 2 s to go.
        var export = rows["export-3"];
        Assert.Equal(("Closed", 300L, 4L), (export.GetProperty("phase").GetString(), export.GetProperty("settled").GetInt64(), export.GetProperty("deadLettered").GetInt64()));
        Assert.Equal((100.0, 2.0), (export.GetProperty("rate").GetDouble(), export.GetProperty("etaSeconds").GetDouble()));

        // Settled: its report, at its rate over its life (1,200 in two minutes).
        var nightly = rows["nightly"];
        Assert.Equal(("Settled", 1200L, 1190L, 6L, 4L), (
            nightly.GetProperty("phase").GetString(), nightly.GetProperty("accepted").GetInt64(), nightly.GetProperty("completed").GetInt64(),
            nightly.GetProperty("deadLettered").GetInt64(), nightly.GetProperty("discarded").GetInt64()));
        Assert.Equal((10.0, 0.0), (nightly.GetProperty("rate").GetDouble(), nightly.GetProperty("etaSeconds").GetDouble()));
        Assert.Equal(new DateTimeOffset(Ten.AddMinutes(2)).ToUnixTimeMilliseconds(), nightly.GetProperty("settledAtMs").GetInt64());

        // The page's own view (what the event stream carries) holds the same jobs beside the run's figures.
        using var overview = await GetJsonAsync("/api/overview");
        Assert.Equal(3100, overview.RootElement.GetProperty("status").GetProperty("accepted").GetInt64());
        Assert.Equal(
            root.GetProperty("jobs").GetRawText(),
            overview.RootElement.GetProperty("jobs").GetProperty("jobs").GetRawText());
    }

    [Fact]
    public async Task Should_serve_one_jobs_producers_and_dead_letters_and_say_which_jobs_it_does_not_know()
    {
        await using var served = await ServeAsync(knowsJobs: true);
        var (coordinator, sampler) = served;
        await ReadTwoSecondsApartAsync(coordinator, sampler);

        using var export = await GetJsonAsync("/api/overview/jobs/export-3");
        var job = export.RootElement;
        Assert.Equal((100.0, "Closed"), (job.GetProperty("job").GetProperty("rate").GetDouble(), job.GetProperty("job").GetProperty("phase").GetString()));
        Assert.Equal(
            ["client-a:500"],
            job.GetProperty("producers").EnumerateArray().Select(p => $"{p.GetProperty("producerId").GetString()}:{p.GetProperty("accepted").GetInt64()}"));
        var deadLetters = job.GetProperty("deadLetters").EnumerateArray().ToList();
        Assert.Equal([101L, 102L, 103L, 104L], deadLetters.Select(d => d.GetProperty("itemId").GetInt64()));
        Assert.Equal("bad row 101", deadLetters[0].GetProperty("error").GetString());
        Assert.Equal("0bad", deadLetters[0].GetProperty("payloadHex").GetString());

        using (var forgotten = await _http.GetAsync(Url("/api/overview/jobs/last-week"), Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, forgotten.StatusCode);
            Assert.Contains("Pipeline:Jobs:Retention", await forgotten.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        using var malformed = await _http.GetAsync(Url("/api/overview/jobs/no%20such%20id"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
    }

    [Fact]
    public async Task Should_show_the_overview_without_waiting_out_a_coordinator_that_knows_no_jobs()
    {
        // A coordinator from before jobs (an older node's, in a rolling upgrade) never answers GetJobs.
        await using var served = await ServeAsync(knowsJobs: false);
        var sampler = served.Sampler;

        var took = Stopwatch.StartNew();
        await sampler.SampleAsync(Ct);
        took.Stop();

        using var view = await GetJsonAsync("/api/overview");
        Assert.True(view.RootElement.GetProperty("answering").GetBoolean());
        Assert.Equal(3100, view.RootElement.GetProperty("status").GetProperty("accepted").GetInt64());
        Assert.False(view.RootElement.GetProperty("jobs").GetProperty("answering").GetBoolean());
        Assert.Empty(view.RootElement.GetProperty("jobs").GetProperty("jobs").EnumerateArray());
        Assert.True(took.Elapsed < TimeSpan.FromSeconds(2), $"one reading took {took.Elapsed}: the overview waited for the job list's whole timeout");
    }

    [Fact]
    public async Task Should_show_running_and_settled_jobs_and_a_jobs_dead_letters_on_the_page_and_no_jobs_in_run_mode()
    {
        if (HeadlessChromium.Executable is null)
        {
            Assert.Skip("no chromium (Debian's chromium package, or CHROMIUM=path); CI installs it");
        }

        await using var served = await ServeAsync(knowsJobs: true);
        var (coordinator, sampler) = served;
        await ReadTwoSecondsApartAsync(coordinator, sampler);
        await using var browser = await HeadlessChromium.StartAsync(Ct);
        var page = await browser.OpenAsync(Url("/"), Ct);

        await page.WaitForAsync("document.querySelectorAll('#jobs tbody tr').length === 2", PageLimit, Ct);
        var shown = await PageFigures.ReadAsync(page, Ct);
        Assert.True(shown.JobsShown);
        Assert.Equal(("2", "1"), (shown.Fields["jobs.unsettled"], shown.Fields["jobs.settled"])); // the idle run job is no row
        Assert.Equal(
            ["import-7", "the import-7 job", "open", "42%", "600 / 1,400", "770", "30", "0", "200", "when closed", "dead letters"],
            shown.Jobs[0]);
        Assert.Equal(
            ["export-3", "the export-3 job", "closed", "60%", "300 / 500", "180", "20", "4", "100", "2 s", "dead letters"],
            shown.Jobs[1]);
        Assert.Equal(
            ["nightly", "the nightly job", "settled", "1,200", "1,190", "6", "4", "2 min 0 s", "10", "02/12/2026, 10:02:00", "dead letters"],
            Assert.Single(shown.SettledJobs));

        // The operator asks for one job's dead letters.
        await page.EvaluateAsync("document.querySelector('#jobs tr[data-key=\"export-3\"] button').click()", Ct);
        await page.WaitForAsync("document.getElementById('job-detail').dataset.loaded === 'export-3'", PageLimit, Ct);
        var detail = await PageFigures.ReadAsync(page, Ct);
        Assert.Equal("export-3", detail.Fields["job.id"]);
        Assert.Equal("the export-3 job, closed: 300 of 500 settled, 4 dead letters", detail.Fields["job.summary"]);
        Assert.Equal("put by client-a (500)", detail.Fields["job.producers"]);
        Assert.Equal(["101", "102", "103", "104"], detail.JobDeadLetters.Select(d => d[0]));
        Assert.Equal("bad row 104", detail.JobDeadLetters[3][2]);
        if (Environment.GetEnvironmentVariable(ScreenshotVariable) is { Length: > 0 } screenshot)
        {
            await File.WriteAllBytesAsync(screenshot, await page.ScreenshotAsync(Ct), Ct); // the jobs view, for README
        }

        // Run mode: the run's own job is the only one, and the page is the run's page, with no jobs section.
        coordinator.Tell(new ScriptedJobCoordinator.Script([Job("run", JobPhase.Open, 3100, 2790, 10, 0, 270, 30)]));
        await sampler.SampleAsync(Ct);
        await page.WaitForAsync("document.getElementById('jobs-section').hidden", PageLimit, Ct);
        var runPage = await PageFigures.ReadAsync(page, Ct);
        Assert.Equal(("3,100", "5"), (runPage.Fields["status.accepted"], runPage.Fields["status.discarded"]));
    }

    /// <summary>A scripted coordinator, the page's sampler over it on the fake clock, and the node's HTTP server with the page.</summary>
    private async Task<Served> ServeAsync(bool knowsJobs)
    {
        var coordinator = Sys.ActorOf(ScriptedJobCoordinator.Props(Overview, knowsJobs));
        var options = MsOptions.Create(new OperationsOptions { DashboardEnabled = true });
        var sampler = new RunSampler(new FixedActor<CoordinatorKey>(coordinator), options, _feed, _time, NullLogger<RunSampler>.Instance);
        var server = new NodeHttpServer(
            System.Net.IPAddress.Loopback, _port, [new DashboardEndpoints(sampler, _feed, options, NullLogger<DashboardEndpoints>.Instance)], NullLoggerFactory.Instance);
        await server.StartAsync(Ct);
        return new Served(coordinator, sampler, server, _http);
    }

    /// <summary>What one spec serves, stopped at its end.</summary>
    private sealed record Served(IActorRef Coordinator, RunSampler Sampler, NodeHttpServer Server, HttpClient Http) : IAsyncDisposable
    {
        public void Deconstruct(out IActorRef coordinator, out RunSampler sampler) => (coordinator, sampler) = (Coordinator, Sampler);

        public async ValueTask DisposeAsync()
        {
            await Server.DisposeAsync();
            Sampler.Dispose();
            Http.Dispose();
        }
    }

    /// <summary>Two readings 2 s apart on the fake clock, between which the running jobs move by known amounts.</summary>
    private async Task ReadTwoSecondsApartAsync(IActorRef coordinator, RunSampler sampler)
    {
        var nightly = Job("nightly", JobPhase.Settled, 1200, 1190, 6, 4, 0, 0, openedAt: Ten) with { ClosedAt = Ten.AddMinutes(1), SettledAt = Ten.AddMinutes(2) };
        coordinator.Tell(new ScriptedJobCoordinator.Script(
        [
            Job("import-7", JobPhase.Open, 1000, 200, 0, 0, 770, 30, openedAt: Ten.AddMinutes(20)),
            Job("export-3", JobPhase.Closed, 500, 100, 0, 0, 380, 20, openedAt: Ten.AddMinutes(10)),
            nightly,
            ServiceRun,
        ]));
        await sampler.SampleAsync(Ct);

        _time.Advance(TimeSpan.FromSeconds(2));
        coordinator.Tell(new ScriptedJobCoordinator.Script(
        [
            Job("import-7", JobPhase.Open, 1400, 600, 0, 0, 770, 30, openedAt: Ten.AddMinutes(20)),
            Job("export-3", JobPhase.Closed, 500, 296, 4, 0, 180, 20, openedAt: Ten.AddMinutes(10)) with
            {
                Producers = [new JobProducer("client-a", 500)],
                DeadLetters = [.. Enumerable.Range(101, 4).Select(id => new DeadLetteredItem(id, id, new QueueItem(new byte[] { 0x0b, 0xad }, Ten), 3, $"bad row {id}", "export-3"))],
            },
            nightly,
            ServiceRun,
        ]));
        await sampler.SampleAsync(Ct);
    }

    private async Task<JsonDocument> GetJsonAsync(string path)
    {
        using var response = await _http.GetAsync(Url(path), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
    }

    private Uri Url(string path) => new($"http://127.0.0.1:{_port}{path}");

    /// <summary>A Service-mode node's run job: always there, never given an item.</summary>
    private static JobStatus ServiceRun => Job("run", JobPhase.Open, 0, 0, 0, 0, 0, 0, openedAt: Ten.AddDays(-1));

    private static JobStatus Job(
        string id, JobPhase phase, long accepted, long completed, long deadLettered, long discarded, int queued, int inFlight, DateTime? openedAt = null) =>
        new(id, $"the {id} job", phase, 1, accepted, completed, deadLettered, discarded, queued, inFlight, openedAt ?? Ten, null, null, [], []);
}
