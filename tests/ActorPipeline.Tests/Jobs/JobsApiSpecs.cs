using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ActorPipeline.Coordinator.Protocol;
using ActorPipeline.Hosting.Configuration;
using ActorPipeline.Hosting.Http;
using ActorPipeline.Hosting.Jobs;
using ActorPipeline.Tests.Host;
using Akka.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static ActorPipeline.Coordinator.Protocol.JobProtocol;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;
using static ActorPipeline.Tests.Jobs.JobsClientHarness;

namespace ActorPipeline.Tests.Jobs;

/// <summary>
/// The jobs API on a real server (the node's <see cref="NodeHttpServer"/> with the jobs group only), over the library's
/// client with a probe in the coordinator's place: what reaches the coordinator, and what the caller is answered.
/// </summary>
public sealed class JobsApiSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit.TestKit(output: output)
{
    private const string Token = "0123456789abcdef0123";
    private readonly int _port = HostProcess.FreePort();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(20) };
    private TestProbe _coordinator = null!;
    private NodeHttpServer _server = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _coordinator = CreateTestProbe();
        var operations = new OperationsOptions { HttpPort = _port, DashboardToken = Token };
        var group = new JobsEndpoints(
            Client(_coordinator, maxItemBytes: 100), Options.Create(operations), Options.Create(new PipelineOptions { Mode = PipelineMode.Service }),
            NullLogger<JobsEndpoints>.Instance);
        _server = new NodeHttpServer(IPAddress.Loopback, _port, [group], NullLoggerFactory.Instance);
        await _server.StartAsync(Ct);
        _http.BaseAddress = new Uri($"http://127.0.0.1:{_port}");
    }

    public override async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _server.StopAsync(CancellationToken.None);
        await _server.DisposeAsync();
        await base.DisposeAsync();
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"producer\": 1, \"number\": 2}")] // an item, not an array
    [InlineData("[]")]
    [InlineData("[{\"producer\": 1, \"number\": 2}, {\"producer\": \"one\"}]")] // the second is no WorkItem: the first is not put either
    [InlineData("[{\"producer\": 1, \"number\": 2}, null]")]
    [InlineData("[{\"producer\": 1, \"number\": 2}, {\"producer\": 1, \"number\": 99999999999999999999999999999999}]")]
    public async Task Should_refuse_a_bad_array_with_400_and_put_nothing(string body)
    {
        using var response = await PostAsync("/api/jobs/j1/items", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("Nothing was put", await ErrorOf(response), StringComparison.Ordinal);
        await _coordinator.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300), Ct);
    }

    [Fact]
    public async Task Should_refuse_an_item_over_the_size_limit_with_400_and_put_nothing()
    {
        var large = $"[{{\"producer\": 1, \"number\": 2}}, \"{new string('x', 200)}\"]";
        using var response = await PostAsync("/api/jobs/j1/items", large);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await _coordinator.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300), Ct);
    }

    [Fact]
    public async Task Should_answer_a_body_over_the_servers_limit_with_413_and_a_message_and_put_nothing()
    {
        // Said by its length alone, as a client about to send 40 MB would: the server answers before reading it.
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(System.Net.IPAddress.Loopback, _port, Ct);
        var stream = tcp.GetStream();
        var head = $"POST /api/jobs/j1/items HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {Token}\r\nContent-Type: application/json\r\nContent-Length: 40000000\r\n\r\n[";
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(head), Ct);
        using var reader = new StreamReader(stream);
        var answer = await reader.ReadToEndAsync(Ct);

        Assert.StartsWith("HTTP/1.1 413", answer, StringComparison.Ordinal);
        Assert.Contains("\"error\":\"Nothing was put: Request body too large", answer, StringComparison.Ordinal);
        await _coordinator.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300), Ct);
    }

    [Theory]
    [InlineData("/api/jobs", "{\"name\": \"x\"}")]
    [InlineData("/api/jobs/j1/items", "[{\"producer\": 1, \"number\": 2}]")]
    [InlineData("/api/jobs/j1/close", "")]
    [InlineData("/api/jobs/j1/cancel", "")]
    public async Task Should_refuse_a_change_without_the_token_and_send_nothing(string path, string body)
    {
        using var none = await PostAsync(path, body, token: null);
        using var wrong = await PostAsync(path, body, token: "0123456789abcdef0124");

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("Bearer", wrong.Headers.WwwAuthenticate.Single().Scheme);
        await _coordinator.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300), Ct);
    }

    [Theory]
    [InlineData("{\"name\": \"   \"}")]
    [InlineData("{\"name\": \"ok\", \"weight\": 0}")]
    [InlineData("{\"name\": \"ok\", \"id\": \"not/an/id\"}")]
    [InlineData("{\"weight\": 1}")]
    [InlineData("[1]")]
    [InlineData("{\"name\": \"ok\", \"wieght\": 5}")] // a misspelt field is no default
    [InlineData("{\"name\": \"line\\nbreak\"}")] // a name goes into log lines: no forged ones
    public async Task Should_refuse_a_bad_open_with_400_and_send_nothing(string body)
    {
        using var response = await PostAsync("/api/jobs", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(string.IsNullOrEmpty(await ErrorOf(response)));
        await _coordinator.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300), Ct);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("0s")]
    [InlineData("-00:00:05")]
    [InlineData("11m")]
    public async Task Should_refuse_a_bad_join_timeout_with_400_and_send_nothing(string timeout)
    {
        using var response = await _http.GetAsync($"/api/jobs/j1/join?timeout={Uri.EscapeDataString(timeout)}", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("timeout", await ErrorOf(response), StringComparison.Ordinal);
        await _coordinator.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300), Ct);
    }

    [Theory]
    [InlineData("00:00:30", 30_000)]
    [InlineData("30s", 30_000)]
    [InlineData("250ms", 250)]
    [InlineData("1.5m", 90_000)]
    [InlineData(null, 30_000)]
    public void Should_read_a_join_timeout_as_a_time_span_or_with_a_unit(string? text, int milliseconds)
    {
        Assert.Equal((TimeSpan.FromMilliseconds(milliseconds), (string?)null), JobsEndpoints.ParseTimeout(text));
    }

    [Fact]
    public async Task Should_put_a_valid_array_under_the_idempotency_key_and_answer_once_accepted()
    {
        var posting = PostAsync("/api/jobs/j1/items", "[{\"producer\": 1, \"number\": 2}, {\"producer\": 1, \"number\": 3}]", key: "batch-17");
        var put = await _coordinator.ExpectMsgAsync<Put>(cancellationToken: Ct);
        _coordinator.Reply(new PutAccepted(put.ProducerId, put.SequenceNr, put.Items.Count));
        using var response = await posting;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (await JsonOf(response)).GetProperty("accepted").GetInt64());
        Assert.Equal(("j1/batch-17", 1L, "j1"), (put.ProducerId, put.SequenceNr, put.Job));
        Assert.Equal(new Library.WorkItem(1, 3), Parts.Codec.Decode(put.Items[1].Payload));
    }

    [Fact]
    public async Task Should_answer_409_for_a_put_into_a_closed_job_and_404_for_no_job()
    {
        var closed = PostAsync("/api/jobs/j1/items", "[{\"producer\": 1, \"number\": 2}]");
        var put = await _coordinator.ExpectMsgAsync<Put>(cancellationToken: Ct);
        _coordinator.Reply(new PutRejected(put.ProducerId, put.SequenceNr, PutRejection.JobClosed, 0));
        using (var response = await closed)
        {
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Contains("closed", await ErrorOf(response), StringComparison.Ordinal);
        }

        var unknown = _http.GetAsync("/api/jobs/j2", Ct);
        await _coordinator.ExpectMsgAsync<GetJob>(cancellationToken: Ct);
        _coordinator.Reply(new JobUnknown("j2"));
        using (var response = await unknown)
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public async Task Should_open_a_job_with_201_and_its_report()
    {
        var opening = PostAsync("/api/jobs", "{\"name\": \"nightly import\", \"weight\": 2}");
        var open = await _coordinator.ExpectMsgAsync<OpenJob>(cancellationToken: Ct);
        _coordinator.Reply(JobsClientSpecs.Status(open.JobId, JobPhase.Open) with { Name = open.Name, Weight = open.Weight });
        using var response = await opening;

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/jobs/{open.JobId}", response.Headers.Location?.ToString());
        var report = await JsonOf(response);
        Assert.Equal(open.JobId, report.GetProperty("id").GetString());
        Assert.Equal("nightly import", report.GetProperty("name").GetString());
        Assert.Equal("open", report.GetProperty("state").GetString());
        Assert.Equal(0, report.GetProperty("unfinished").GetInt64());
        Assert.Equal(("nightly import", 2), (open.Name, open.Weight));
    }

    [Fact]
    public async Task Should_answer_a_join_202_with_the_report_when_the_timeout_passes_first_and_200_once_settled()
    {
        var waiting = _http.GetAsync("/api/jobs/j1/join?timeout=200ms", Ct);
        await _coordinator.ExpectMsgAsync<JoinJob>(cancellationToken: Ct); // never answered in time
        await _coordinator.ExpectMsgAsync<GetJob>(cancellationToken: Ct);
        _coordinator.Reply(JobsClientSpecs.Status("j1", JobPhase.Closed) with { Accepted = 3, Queued = 3 });
        using (var response = await waiting)
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            Assert.Equal("closed", (await JsonOf(response)).GetProperty("state").GetString());
        }

        var settling = _http.GetAsync("/api/jobs/j1/join?timeout=00:00:10", Ct);
        await _coordinator.ExpectMsgAsync<JoinJob>(cancellationToken: Ct);
        _coordinator.Reply(JobsClientSpecs.Status("j1", JobPhase.Settled) with { Accepted = 3, Completed = 3 });
        using (var response = await settling)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var report = await JsonOf(response);
            Assert.Equal(("settled", 3L), (report.GetProperty("state").GetString(), report.GetProperty("completed").GetInt64()));
        }
    }

    private async Task<HttpResponseMessage> PostAsync(string path, string body, string? token = Token, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return await _http.SendAsync(request, Ct);
    }

    private static async Task<JsonElement> JsonOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();

    private static async Task<string?> ErrorOf(HttpResponseMessage response) => (await JsonOf(response)).GetProperty("error").GetString();
}
