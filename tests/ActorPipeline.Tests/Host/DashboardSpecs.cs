using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ActorPipeline.Tests.Browser;

namespace ActorPipeline.Tests.Host;

/// <summary>
/// The operator's page of the shipped Host, started the way README says (the embedded default plus
/// <c>--Operations:DashboardEnabled=true</c>), loaded in headless Chromium and read as a person reads it: the text
/// on the page. What it shows is compared with the coordinator's status as the health endpoint reports it
/// (its own ask, not the page's) during the run, and with the run summary the node logs at its end.
/// </summary>
public sealed class DashboardSpecs
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan PageLimit = TimeSpan.FromSeconds(30);

    // Longer than the first tick of the CI machine, and a well-formed secret.
    private const string Token = "spec-dashboard-token-7f3a9c";

    /// <summary>Where to write a screenshot of the page mid-run, when set (scripts/dashboard-screenshot.sh sets it).</summary>
    private const string ScreenshotVariable = "ACTORPIPELINE_DASHBOARD_SCREENSHOT";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_page_shows_the_coordinators_figures_during_the_run_and_at_its_end()
    {
        await using var run = await WatchedRun.StartAsync(new()
        {
                ["Pipeline__Producers__Count"] = "3",
                ["Demo__Producers__MinItems"] = "60",
                ["Demo__Producers__MaxItems"] = "80",
                ["Demo__Producers__MaxDelay"] = "00:00:00.100",
                ["Pipeline__Consumers__Count"] = "4",
                ["Demo__Consumers__MinDelay"] = "00:00:00.050",
                ["Demo__Consumers__MaxDelay"] = "00:00:00.400",
                ["Demo__Consumers__PoisonRate"] = "0.05",
                ["Pipeline__Consumers__MaxAttempts"] = "2",
                ["Pipeline__Consumers__RetryBackoff"] = "00:00:00.050",

                // Four readings a second rather than one, so that a slow machine still gets several comparisons into the run.
                ["Operations__DashboardSampleInterval"] = "00:00:00.250",
        });
        var (host, http, page, dashboard, health) = (run.Host, run.Http, run.Page, run.DashboardPort, run.HealthPort);

        // A read-only node: no token is set, so the page's requeue is off and the API says why.
        using (var refused = await http.PostAsync(new Uri($"http://127.0.0.1:{dashboard}/api/dead-letters/requeue"), null, Ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        // During the run: the page's figures lie between two readings of the coordinator's status taken around them.
        var compared = 0;
        while (!host.HasExited)
        {
            var before = await TryReadHealthAsync(http, health);
            var sequence = await SequenceAsync(http, dashboard);
            if (before is null || sequence is null)
            {
                continue; // a slow answer, or the run ending under the spec's feet: the loop's condition tells which
            }

            // Two overviews later, one was certainly read after `before` was answered.
            await page.WaitForAsync($"Number(document.body.dataset.sequence) >= {sequence + 2} || document.body.dataset.connection === 'ended'", PageLimit, Ct);
            var shown = await PageFigures.ReadAsync(page, Ct);
            var after = await TryReadHealthAsync(http, health);
            if (shown.Connection == "ended" || shown.Fields["phase"] == "joined")
            {
                break;
            }

            if (after is null)
            {
                continue;
            }

            Assert.InRange(shown.Number("status.accepted"), before.Accepted, after.Accepted);
            Assert.InRange(shown.Number("status.completed"), before.Completed, after.Completed);
            AssertConsistent(shown);
            Assert.Equal("live", shown.Connection);
            compared++;
            if (Environment.GetEnvironmentVariable(ScreenshotVariable) is { Length: > 0 } screenshot)
            {
                // scripts/dashboard-screenshot.sh: the last one taken mid-run is what README shows.
                await File.WriteAllBytesAsync(screenshot, await page.ScreenshotAsync(Ct), Ct);
            }
        }

        Assert.True(compared >= 2, $"the page was compared with the coordinator's status {compared} times before the run ended; the run is too short for this machine");

        // At its end: the run summary the node logs is the coordinator's final status; the page shows the same.
        var exitCode = await host.WaitForExitAsync(RunLimit, Ct);
        var summary = Assert.Single(host.JsonEvents, e => e.TryGetProperty("@mt", out var mt) && mt.GetString() == Templates.Summary);
        Assert.Equal(summary.GetProperty("DeadLettered").GetInt64() > 0 ? 2 : 0, exitCode);
        await page.WaitForAsync("document.body.dataset.connection === 'ended'", PageLimit, Ct);
        var last = await PageFigures.ReadAsync(page, Ct);
        Assert.Equal("joined", last.Fields["phase"].ToLowerInvariant());
        Assert.Equal(summary.GetProperty("Accepted").GetInt64(), last.Number("status.accepted"));
        Assert.Equal(summary.GetProperty("Completed").GetInt64(), last.Number("status.completed"));
        Assert.Equal(summary.GetProperty("DeadLettered").GetInt64(), last.Number("status.deadLettered"));
        Assert.Equal(summary.GetProperty("DeadLettered").GetInt64(), last.Number("deadLetters.total"));
        Assert.Equal(summary.GetProperty("NotCompleted").GetInt64(), last.Number("status.unfinished"));
        Assert.Equal(3, last.Producers.Count);
        Assert.All(last.Producers, p => Assert.Equal("done", p[2]));
        Assert.Equal(last.Number("status.accepted"), last.Producers.Sum(p => PageFigures.Parse(p[3], "a producer's accepted")));

        // The consumers were cancelled at the run's end; their rows stay, and between them they completed every item.
        Assert.Equal(4, last.Consumers.Count);
        Assert.All(last.Consumers, c => Assert.EndsWith("(gone)", c[0], StringComparison.Ordinal));
        Assert.Equal(last.Number("status.completed"), last.Consumers.Sum(c => PageFigures.Parse(c[2], "a consumer's completed")));
        Assert.Equal(Math.Min(last.Number("deadLetters.total"), 50), last.DeadLetters.Count);
        Assert.All(last.DeadLetters, d => Assert.Contains("simulated poison item", d[2], StringComparison.Ordinal));

        // Watching is free of noise: nothing the page did made the node warn or err (the poison items' own warnings
        // aside, and the refusal of the spec's own requeue without a token, which is one warning, as it should be).
        var dashboardWarnings = host.JsonEvents.Where(e => e.TryGetProperty("@l", out var level) && level.GetString() == "Warning"
            && e.TryGetProperty("SourceContext", out var source) && source.GetString()!.Contains("Dashboard", StringComparison.Ordinal)).ToList();
        Assert.Equal(["Refused a requeue from {Remote}: {Reason}."], dashboardWarnings.Select(e => e.GetProperty("@mt").GetString()));
        Assert.DoesNotContain(host.JsonEvents, e => e.TryGetProperty("@l", out var level) && level.GetString() is "Error" or "Fatal" // CLEF leaves @l out for Information
            && e.TryGetProperty("SourceContext", out var source) && source.GetString() is { } from
            && (from.Contains("Dashboard", StringComparison.Ordinal) || from.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Requeueing_from_the_page_is_refused_without_the_token_and_puts_the_dead_letters_back_with_it()
    {
        await using var run = await WatchedRun.StartAsync(new()
        {
                // A second expected producer never comes, so the run stays open while the spec requeues.
                ["Pipeline__Queue__ExpectedProducers"] = "2",
                ["Pipeline__Producers__Count"] = "1",
                ["Demo__Producers__MinItems"] = "40",
                ["Demo__Producers__MaxItems"] = "40",
                ["Demo__Producers__MaxDelay"] = "00:00:00",
                ["Pipeline__Consumers__Count"] = "2",
                ["Demo__Consumers__MaxDelay"] = "00:00:00",
                ["Demo__Consumers__PoisonRate"] = "0.2",
                ["Pipeline__Consumers__MaxAttempts"] = "1",
                ["Operations__DashboardToken"] = Token,
        });
        var (http, page, dashboard, health) = (run.Http, run.Page, run.DashboardPort, run.HealthPort);

        // Every item is in and finished, some of them as dead letters (the poison is in the payload: the same ones fail every time).
        await page.WaitForAsync(
            "document.querySelector('[data-field=\"status.producersDone\"]').textContent === '1'"
            + " && document.querySelector('[data-field=\"status.unfinished\"]').textContent === '0'"
            + " && Number(document.querySelector('[data-field=\"deadLetters.total\"]').textContent) > 0",
            PageLimit, Ct);
        var before = await PageFigures.ReadAsync(page, Ct);
        var deadLetters = before.Number("deadLetters.total");
        var accepted = (await HealthReading.ReadAsync(http, health, Ct)).Accepted;
        Assert.Equal(accepted, before.Number("status.accepted"));
        Assert.Equal(deadLetters, before.DeadLetters.Count);

        // No token typed: refused, and nothing moved.
        Assert.Contains("refused (401)", await RequeueFromPageAsync(page, ""), StringComparison.Ordinal);
        Assert.Contains("refused (401)", await RequeueFromPageAsync(page, "not-the-token-at-all"), StringComparison.Ordinal);
        Assert.Equal(accepted, (await HealthReading.ReadAsync(http, health, Ct)).Accepted);
        using (var direct = await http.PostAsync(new Uri($"http://127.0.0.1:{dashboard}/api/dead-letters/requeue"), null, Ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, direct.StatusCode);
            Assert.Contains(direct.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        }

        // With the token but no word of what to requeue: refused, since "all" is never taken by omission.
        using (var vague = new HttpRequestMessage(HttpMethod.Post, new Uri($"http://127.0.0.1:{dashboard}/api/dead-letters/requeue")))
        {
            vague.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
            vague.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            using var refusal = await http.SendAsync(vague, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, refusal.StatusCode);
        }

        Assert.Equal(accepted, (await HealthReading.ReadAsync(http, health, Ct)).Accepted);

        // With the token: every dead letter is queued again, and still counted accepted once (accepted = completed + dead-lettered + discarded + unfinished).
        Assert.Equal($"requeued {deadLetters}", await RequeueFromPageAsync(page, Token));
        Assert.Equal(accepted, (await HealthReading.ReadAsync(http, health, Ct)).Accepted);
        var requeuedBy = (await page.EvaluateAsync("Number(document.body.dataset.sequence)", Ct)).GetInt64();

        // They fail again, being poison, and the page shows the same items dead-lettered once more (in an
        // overview read after the requeue was acknowledged: the figures alone look as they did before it).
        await page.WaitForAsync(
            $"Number(document.body.dataset.sequence) > {requeuedBy}"
            + $" && document.querySelector('[data-field=\"status.accepted\"]').textContent.replaceAll(',', '') === '{accepted}'"
            + " && document.querySelector('[data-field=\"status.unfinished\"]').textContent === '0'"
            + $" && document.querySelector('[data-field=\"deadLetters.total\"]').textContent === '{deadLetters}'",
            PageLimit, Ct);
        var again = await PageFigures.ReadAsync(page, Ct);
        Assert.Equal(before.DeadLetters.Select(d => d[0]).Order(), again.DeadLetters.Select(d => d[0]).Order());

        // The API takes a list of item ids too, with the token in the header.
        using var one = new HttpRequestMessage(HttpMethod.Post, new Uri($"http://127.0.0.1:{dashboard}/api/dead-letters/requeue"))
        {
            Content = new StringContent($"{{\"itemIds\":[{PageFigures.Parse(again.DeadLetters[0][0], "an item id")}]}}", System.Text.Encoding.UTF8, "application/json"),
        };
        one.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using var answer = await http.SendAsync(one, Ct);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(1, JsonDocument.Parse(await answer.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("requeued").GetInt32());
    }

    /// <summary>Types the token into the page's field, presses "Requeue all" and returns what the page then says.</summary>
    private static async Task<string> RequeueFromPageAsync(BrowserPage page, string token)
    {
        await page.EvaluateAsync(
            $"document.getElementById('requeue-result').textContent = ''; document.getElementById('token').value = {JsonSerializer.Serialize(token)};"
            + " document.getElementById('requeue-all').click()",
            Ct);
        await page.WaitForAsync("document.getElementById('requeue-result').textContent !== ''", PageLimit, Ct);
        return (await PageFigures.ReadAsync(page, Ct)).RequeueResult;
    }

    /// <summary>The figures of one reading agree with each other: one status, not several counts read apart.</summary>
    private static void AssertConsistent(PageFigures shown)
    {
        Assert.Equal(shown.Number("status.size") + shown.Number("status.inFlight"), shown.Number("status.unfinished"));
        var connected = shown.Consumers.Where(c => !c[0].EndsWith("(gone)", StringComparison.Ordinal)).ToList();
        Assert.Equal(shown.Number("status.inFlight"), connected.Sum(c => PageFigures.Parse(c[1], "a consumer's in hand")));
        Assert.Equal(shown.Number("status.accepted"), shown.Producers.Sum(p => PageFigures.Parse(p[3], "a producer's accepted")));
    }

    private static async Task WaitForDashboardAsync(HttpClient http, int port, HostProcess host)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(PageLimit);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (await SequenceAsync(http, port) is not > 0)
        {
            Assert.False(host.HasExited, "the host exited early:\n" + string.Join('\n', host.Stdout.Concat(host.Stderr)));
            await poll.WaitForNextTickAsync(limit.Token);
        }
    }

    /// <summary>How many overviews the dashboard has read; null when it does not answer (not up yet, or gone).</summary>
    private static async Task<long?> SequenceAsync(HttpClient http, int port)
    {
        try
        {
            using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/api/overview"), Ct));
            return document.RootElement.GetProperty("sequence").GetInt64();
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !Ct.IsCancellationRequested))
        {
            return null;
        }
    }

    /// <summary>The coordinator's status from /health/ready; null when it does not answer (a 503 while it is busy, or the node gone).</summary>
    private static async Task<HealthReading?> TryReadHealthAsync(HttpClient http, int port)
    {
        try
        {
            return await HealthReading.ReadAsync(http, port, Ct);
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !Ct.IsCancellationRequested))
        {
            return null;
        }
    }

    /// <summary>
    /// The shipped Host on its embedded default in a folder of its own (JSON logs, health and the page on),
    /// with the settings given as environment variables, and its page open in headless Chromium.
    /// </summary>
    private sealed class WatchedRun : IAsyncDisposable
    {
        private readonly HeadlessChromium _browser;
        private readonly TempFolder _folder;

        private WatchedRun(HeadlessChromium browser, TempFolder folder, HostProcess host, int dashboardPort, int healthPort)
        {
            (_browser, _folder, Host, DashboardPort, HealthPort) = (browser, folder, host, dashboardPort, healthPort);
        }

        public HostProcess Host { get; }

        public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };

        public BrowserPage Page { get; private set; } = null!;

        public int DashboardPort { get; }

        public int HealthPort { get; }

        public static async Task<WatchedRun> StartAsync(Dictionary<string, string> settings)
        {
            if (HeadlessChromium.Executable is null)
            {
                Assert.Skip("no chromium (Debian's chromium package, or CHROMIUM=path); CI installs it");
            }

            var browser = await HeadlessChromium.StartAsync(Ct);
            // One server serves both, so the page's and the health endpoint's port are the same.
            var port = HostProcess.FreePort();
            var (dashboard, health) = (port, port);
            settings["Serilog__CompactJson"] = "true";
            settings["Operations__HealthEnabled"] = "true";
            settings["Operations__HttpPort"] = $"{port}";
            var folder = new TempFolder();
            var run = new WatchedRun(browser, folder, HostProcess.Start(["--Operations:DashboardEnabled=true"], settings, folder.Path), dashboard, health);
            try
            {
                await WaitForDashboardAsync(run.Http, dashboard, run.Host);
                run.Page = await browser.OpenAsync(new Uri($"http://127.0.0.1:{dashboard}/"), Ct);
                return run;
            }
            catch
            {
                await run.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _browser.DisposeAsync();
            Host.Dispose();
            Http.Dispose();
            _folder.Dispose();
        }
    }
}
