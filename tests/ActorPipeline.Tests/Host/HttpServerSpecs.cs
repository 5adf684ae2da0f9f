using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace ActorPipeline.Tests.Host;

/// <summary>
/// The node's one HTTP server as an operator meets it: the shipped Host with <c>Operations:HttpPort</c> and the
/// switches of health, metrics and the page, asked with plain HTTP requests.
/// </summary>
public sealed class HttpServerSpecs
{
    private const string Listening = "HTTP server on {Url}: {Endpoints}.";
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(2);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Should_serve_health_metrics_and_the_page_on_one_port_of_one_node()
    {
        using var folder = new TempFolder();
        var port = HostProcess.FreePort();
        using var host = HostProcess.Start([], LongRun(
            ("Operations__HttpPort", $"{port}"),
            ("Operations__HealthEnabled", "true"),
            ("Operations__MetricsEnabled", "true"),
            ("Operations__DashboardEnabled", "true")), folder.Path);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        await host.WaitForOutputAsync(lines => lines.Any(l => l.Contains("got element", StringComparison.Ordinal)), RunLimit, Ct);

        // One server, and it says what it serves where.
        var listening = Assert.Single(host.JsonEvents, e => e.TryGetProperty("@mt", out var mt) && mt.GetString() == Listening);
        Assert.Equal($"http://127.0.0.1:{port}/", listening.GetProperty("Url").GetString());
        Assert.Equal(
            "health (/health/live, /health/ready), metrics (/metrics), the operator's page (/; read-only: no Operations:DashboardToken)",
            listening.GetProperty("Endpoints").GetString());

        // Health, with the checks as JSON, as compose and orchestrators probe it.
        using (var live = await http.GetAsync(Url(port, "/health/live"), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            Assert.Equal("application/json", live.Content.Headers.ContentType?.MediaType);
            using var body = JsonDocument.Parse(await live.Content.ReadAsStringAsync(Ct));
            Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
            Assert.Equal("Healthy", body.RootElement.GetProperty("checks").GetProperty("actor-system").GetProperty("status").GetString());
        }

        Assert.True((await HealthReading.ReadAsync(http, port, Ct)).Accepted > 0);

        // Metrics, in Prometheus's text format.
        using (var metrics = await http.GetAsync(Url(port, "/metrics"), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
            Assert.Equal("text/plain", metrics.Content.Headers.ContentType?.MediaType);
            Assert.Contains(
                (await metrics.Content.ReadAsStringAsync(Ct)).Split('\n'),
                line => line.StartsWith("actorpipeline_items_accepted_total", StringComparison.Ordinal));
        }

        // The page and its API.
        using (var page = await http.GetAsync(Url(port, "/"), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("<title>ActorPipeline", await page.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        using (var overview = JsonDocument.Parse(await http.GetStringAsync(Url(port, "/api/overview"), Ct)))
        {
            Assert.Equal(JsonValueKind.Number, overview.RootElement.GetProperty("sequence").ValueKind);
        }

        host.Terminate();
        Assert.Equal(ExitCodes.Unfinished, await host.WaitForExitAsync(RunLimit, Ct));
    }

    [Fact]
    public async Task Should_keep_the_page_to_loopback_names_on_loopback_but_answer_probes_by_any_name()
    {
        using var folder = new TempFolder();
        var port = HostProcess.FreePort();
        using var host = HostProcess.Start([], LongRun(
            ("Operations__HttpPort", $"{port}"),
            ("Operations__HealthEnabled", "true"),
            ("Operations__MetricsEnabled", "true"),
            ("Operations__DashboardEnabled", "true")), folder.Path);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        await host.WaitForOutputAsync(lines => lines.Any(l => l.Contains(Listening, StringComparison.Ordinal)), RunLimit, Ct);

        // A prober that names the node by its host name (on Debian that name is a loopback address too) still gets its answer;
        // a web page elsewhere that points its own name at 127.0.0.1 does not get the operator's page.
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, port, "/health/live", host: "node-7.example"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, port, "/metrics", host: "node-7.example"));
        Assert.Equal(HttpStatusCode.MisdirectedRequest, await StatusAsync(http, port, "/", host: "node-7.example"));
        Assert.Equal(HttpStatusCode.MisdirectedRequest, await StatusAsync(http, port, "/api/overview", host: "node-7.example"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, port, "/api/overview", host: "localhost"));

        host.Terminate();
        Assert.Equal(ExitCodes.Unfinished, await host.WaitForExitAsync(RunLimit, Ct));
    }

    [Fact]
    public async Task Should_serve_only_what_is_switched_on()
    {
        using var folder = new TempFolder();
        var port = HostProcess.FreePort();
        using var host = HostProcess.Start([], LongRun(("Operations__HttpPort", $"{port}"), ("Operations__HealthEnabled", "true")), folder.Path);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        await host.WaitForOutputAsync(lines => lines.Any(l => l.Contains(Listening, StringComparison.Ordinal)), RunLimit, Ct);

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, port, "/health/live"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(http, port, "/metrics"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(http, port, "/"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(http, port, "/api/overview"));

        host.Terminate();
        Assert.Equal(ExitCodes.Unfinished, await host.WaitForExitAsync(RunLimit, Ct));
    }

    [Fact]
    public async Task Should_open_no_port_and_load_no_web_server_with_everything_off()
    {
        using var folder = new TempFolder();
        var port = HostProcess.FreePort();
        using var host = HostProcess.Start([], LongRun(("Operations__HttpPort", $"{port}")), folder.Path);
        await host.WaitForOutputAsync(lines => lines.Any(l => l.Contains("got element", StringComparison.Ordinal)), RunLimit, Ct);

        using var client = new TcpClient();
        var refused = await Assert.ThrowsAsync<SocketException>(async () => await client.ConnectAsync(IPAddress.Loopback, port, Ct));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);

        // README's claim for a node with all three off: ASP.NET Core is not even loaded (the runtime maps each assembly it loads).
        var loaded = (await File.ReadAllLinesAsync($"/proc/{host.Id}/maps", Ct))
            .Select(line => Path.GetFileName(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1]))
            .Where(file => file.EndsWith(".dll", StringComparison.Ordinal))
            .ToHashSet();
        Assert.Contains("ActorPipeline.Hosting.dll", loaded);
        Assert.DoesNotContain(loaded, file => file.StartsWith("Microsoft.AspNetCore.", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Stdout, line => line.Contains(Listening, StringComparison.Ordinal));

        host.Terminate();
        Assert.Equal(ExitCodes.Unfinished, await host.WaitForExitAsync(RunLimit, Ct));
    }

    [Theory]
    [InlineData("Operations__HealthPort", "8081", "Operations:HealthPort is no longer read: ", "Operations:HealthEnabled = true and Operations:HttpPort")]
    [InlineData("Operations__MetricsPort", "9464", "Operations:MetricsPort is no longer read: ", "Operations:MetricsEnabled = true and Operations:HttpPort")]
    [InlineData("Operations__DashboardPort", "8080", "Operations:DashboardPort is no longer read: ", "Operations:DashboardEnabled = true and Operations:HttpPort")]
    [InlineData("Operations__DashboardHost", "0.0.0.0", "Operations:DashboardHost is no longer read: ", "Operations:HttpHost")]
    [InlineData("Operations__HttpHost", "localhost", "Operations:HttpHost = localhost: is not an IP address", "0.0.0.0 for every interface")]
    [InlineData("Operations__HttpPort", "0", "Operations:HttpPort = 0: ", "between 1 and 65535")]
    public async Task Should_stop_start_up_naming_a_retired_or_wrong_setting_of_the_server(string variable, string value, string says, string instead)
    {
        using var folder = new TempFolder();

        // Health on, so a setting the server ignored would show as a node that runs instead of one that stops.
        using var host = HostProcess.Start([], LongRun(("Operations__HealthEnabled", "true"), (variable, value)), folder.Path);

        Assert.Equal(1, await host.WaitForExitAsync(RunLimit, Ct));
        var line = Assert.Single(host.Stderr);
        Assert.StartsWith($"Invalid configuration: {says}", line, StringComparison.Ordinal);
        Assert.Contains(instead, line, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Stdout, l => l.Contains(Listening, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_stop_start_up_naming_the_address_when_this_machine_has_no_such_address()
    {
        using var folder = new TempFolder();

        // A documentation address (TEST-NET-1) that no interface here has: the bind fails, and no packet is sent.
        using var host = HostProcess.Start([], LongRun(("Operations__HealthEnabled", "true"), ("Operations__HttpHost", "192.0.2.1")), folder.Path);

        Assert.Equal(1, await host.WaitForExitAsync(RunLimit, Ct));
        Assert.Contains(host.Stderr, line => line.StartsWith("Invalid configuration: Operations:HttpHost = 192.0.2.1: cannot listen on 192.0.2.1:8080", StringComparison.Ordinal));
    }

    /// <summary>A run that is still going when the spec has looked: compact JSON, one producer putting slowly.</summary>
    private static Dictionary<string, string> LongRun(params (string Key, string Value)[] settings)
    {
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Container",
            ["Pipeline__Producers__Count"] = "1",
            ["Demo__Producers__MinItems"] = "10000",
            ["Demo__Producers__MaxItems"] = "10000",
            ["Demo__Producers__MinDelay"] = "00:00:00.005",
            ["Demo__Producers__MaxDelay"] = "00:00:00.010",
            ["Pipeline__Consumers__Count"] = "2",
            ["Demo__Consumers__MaxDelay"] = "00:00:00.005",
            ["Pipeline__Persistence__Provider"] = "InMemory",
        };
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }

        return environment;
    }

    private static Uri Url(int port, string path) => new($"http://127.0.0.1:{port}{path}");

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, int port, string path, string? host = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Url(port, path));
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        return response.StatusCode;
    }
}
