using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using ActorPipeline.Coordinator.Protocol;
using ActorPipeline.Hosting.Configuration;
using ActorPipeline.Hosting.Dashboard;
using ActorPipeline.Hosting.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorPipeline.Hosting.Jobs;

/// <summary>
/// The jobs API on the node's HTTP server, built on the library's client (<see cref="PipelineJobs"/>): one put path.
/// <c>POST /api/jobs</c>, <c>POST /api/jobs/{id}/items</c>, <c>POST /api/jobs/{id}/close</c> and <c>/cancel</c> need the
/// operator's token as the page's actions do (403 on a node without one, 401 for a missing or wrong one); <c>GET /api/jobs</c>,
/// <c>GET /api/jobs/{id}</c> and <c>GET /api/jobs/{id}/join?timeout=30s</c> do not. Bad input is answered 400 with
/// <c>{"error": "..."}</c> and changes nothing: a put's whole array is read and encoded before any of it is put.
/// </summary>
internal sealed class JobsEndpoints(PipelineJobs jobs, IOptions<OperationsOptions> options, IOptions<PipelineOptions> pipeline, ILogger<JobsEndpoints> log)
    : IEndpointGroup
{
    /// <summary>How the API writes (camel case, states as words) and reads its own bodies.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },

        // A misspelt field ("wieght") would otherwise open a job with the default silently.
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>How long the API waits for the coordinator's answer to a command before it answers 504.</summary>
    public static readonly TimeSpan CommandLimit = TimeSpan.FromSeconds(30);

    /// <summary>A join waits this long unless the request says otherwise.</summary>
    public static readonly TimeSpan DefaultJoinTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The longest a join request may wait.</summary>
    public static readonly TimeSpan MaxJoinTimeout = TimeSpan.FromMinutes(10);

    public bool Enabled => IsEnabled(options.Value, pipeline.Value.Mode);

    public string Description => options.Value.EffectiveDashboardToken is null
        ? "jobs (/api/jobs; read-only: no Operations:DashboardToken)"
        : "jobs (/api/jobs; opening, putting, closing and cancelling with the token)";

    /// <summary>
    /// On when <see cref="OperationsOptions.JobsApiEnabled"/> says so; unset, in a service whose HTTP server runs for
    /// another group (health, metrics, the page), so that a batch run's server is as before and no port opens unasked.
    /// </summary>
    public static bool IsEnabled(OperationsOptions operations, PipelineMode mode) =>
        operations.JobsApiEnabled ?? (mode == PipelineMode.Service && operations.HttpEnabled);

    public void Map(IEndpointRouteBuilder endpoints)
    {
        var token = options.Value.EffectiveDashboardToken;
        var api = endpoints.MapGroup("/api/jobs").WithMetadata(LoopbackHostOnly.Metadata);
        api.MapPost("", (HttpContext context) => OpenAsync(context, token));
        api.MapGet("", ListAsync);
        api.MapGet("/{id}", (HttpContext context, string id) => ReportAsync(context, id));
        api.MapPost("/{id}/items", (HttpContext context, string id) => PutAsync(context, id, token));
        api.MapPost("/{id}/close", (HttpContext context, string id) => CloseAsync(context, id, token, cancel: false));
        api.MapPost("/{id}/cancel", (HttpContext context, string id) => CloseAsync(context, id, token, cancel: true));
        api.MapGet("/{id}/join", (HttpContext context, string id) => JoinAsync(context, id));
    }

    /// <summary>A join's timeout: <c>00:00:30</c>, or a number with <c>ms</c>, <c>s</c>, <c>m</c> or <c>h</c>; null with the problem when it is neither or out of range.</summary>
    public static (TimeSpan? Timeout, string? Problem) ParseTimeout(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return (DefaultJoinTimeout, null);
        }

        TimeSpan? parsed = null;
        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && text.Contains(':', StringComparison.Ordinal))
        {
            parsed = span;
        }
        else
        {
            var (digits, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 1.0)
                : text.EndsWith('s') ? (text[..^1], 1000.0)
                : text.EndsWith('m') ? (text[..^1], 60_000.0)
                : text.EndsWith('h') ? (text[..^1], 3_600_000.0)
                : (text, double.NaN);
            if (!double.IsNaN(unit) && double.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                parsed = TimeSpan.FromMilliseconds(number * unit);
            }
        }

        return parsed switch
        {
            null => (null, $"timeout '{text}' is not a time span: write 00:00:30 or 30s (also ms, m, h)"),
            { } t when t <= TimeSpan.Zero || t > MaxJoinTimeout => (null, $"timeout '{text}' is not more than 0 and at most {MaxJoinTimeout}"),
            { } t => (t, null),
        };
    }

    private async Task OpenAsync(HttpContext context, string? token)
    {
        if (!await AuthorizedAsync(context, token, "opening a job"))
        {
            return;
        }

        OpenRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync<OpenRequest>(context.Request.Body, Json, context.RequestAborted);
        }
        catch (JsonException e)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, $"The body is not a job to open: JSON of the form {{\"name\": \"nightly import\", \"weight\": 1, \"id\": \"optional\"}} ({Plain(e.Message)})");
            return;
        }
        catch (BadHttpRequestException e)
        {
            await BodyUnreadAsync(context, e, "No job was opened");
            return;
        }

        var problem = request is null ? "the body is null"
            : JobIds.NameProblem(request.Name) is { } name ? name
            : request.Id is not null && JobIds.Problem(request.Id) is { } id ? id
            : request.Weight is < 1 or > 100 ? $"a job's weight is 1 to 100, not {request.Weight}"
            : null;
        if (problem is not null)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, $"No job was opened: {problem}.");
            return;
        }

        await AnswerAsync(context, async limit =>
        {
            var (job, report) = await jobs.OpenWithReportAsync(request!.Name!, new JobOpenOptions { Id = request.Id, Weight = request.Weight }, limit);
            JobsLog.Opened(log, job.Id, report.Name, Remote(context));
            context.Response.StatusCode = StatusCodes.Status201Created;
            context.Response.Headers.Location = $"/api/jobs/{job.Id}";
            await WriteJsonAsync(context, report);
        });
    }

    private Task ListAsync(HttpContext context) =>
        AnswerAsync(context, async limit => await WriteJsonAsync(context, new JobListResponse(await jobs.ListAsync(limit))));

    private async Task ReportAsync(HttpContext context, string id)
    {
        if (await BadIdAsync(context, id))
        {
            return;
        }

        await AnswerAsync(context, async limit => await WriteJsonAsync(context, await jobs.GetReportAsync(id, limit)));
    }

    private async Task CloseAsync(HttpContext context, string id, string? token, bool cancel)
    {
        if (!await AuthorizedAsync(context, token, cancel ? $"cancelling job {id}" : $"closing job {id}") || await BadIdAsync(context, id))
        {
            return;
        }

        await AnswerAsync(context, async limit =>
        {
            var report = cancel
                ? await jobs.CancelAsync(id, $"the jobs API (from {Remote(context)})", limit)
                : await jobs.CloseAsync(id, limit);
            JobsLog.Changed(log, id, cancel ? "cancelled" : "closed", Remote(context));
            await WriteJsonAsync(context, report);
        });
    }

    private async Task JoinAsync(HttpContext context, string id)
    {
        var (timeout, problem) = ParseTimeout(context.Request.Query["timeout"]);
        if (problem is not null)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, $"The join was not waited for: {problem}.");
            return;
        }

        if (await BadIdAsync(context, id))
        {
            return;
        }

        try
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            wait.CancelAfter(timeout!.Value);
            var settled = await jobs.JoinAsync(id, wait.Token);
            await WriteJsonAsync(context, settled);
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            // Not settled within the timeout: the job as it is now, with 202 to say so.
            await AnswerAsync(context, async limit =>
            {
                var report = await jobs.GetReportAsync(id, limit);
                context.Response.StatusCode = report.IsSettled ? StatusCodes.Status200OK : StatusCodes.Status202Accepted;
                await WriteJsonAsync(context, report);
            });
        }
        catch (JobNotFoundException e)
        {
            await ErrorAsync(context, StatusCodes.Status404NotFound, e.Message);
        }
    }

    private async Task PutAsync(HttpContext context, string id, string? token)
    {
        if (!await AuthorizedAsync(context, token, $"a put into job {id}") || await BadIdAsync(context, id))
        {
            return;
        }

        string? key = context.Request.Headers["Idempotency-Key"];
        if (key is not null && PipelineJobs.KeyProblem(key) is { } keyProblem)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, $"Nothing was put: the Idempotency-Key header is not valid: {keyProblem}.");
            return;
        }

        List<ReadOnlyMemory<byte>>? payloads;
        string? problem;
        try
        {
            (payloads, problem) = await ReadItemsAsync(context);
        }
        catch (BadHttpRequestException e)
        {
            await BodyUnreadAsync(context, e, "Nothing was put");
            return;
        }

        if (problem is not null)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, $"Nothing was put: {problem}.");
            return;
        }

        try
        {
            // Bounded only by the caller: a put waits for room in a full queue, as a producer does.
            var accepted = await jobs.PutAsync(id, payloads!, key, context.RequestAborted);
            await WriteJsonAsync(context, new PutResponse(accepted));
        }
        catch (JobNotFoundException e)
        {
            await ErrorAsync(context, StatusCodes.Status404NotFound, e.Message);
        }
        catch (JobPutRejectedException e)
        {
            var status = e.Reason switch
            {
                JobPutRefusal.JobClosed => StatusCodes.Status409Conflict,
                JobPutRefusal.ItemTooLarge => StatusCodes.Status400BadRequest,
                JobPutRefusal.ShutDown => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status409Conflict,
            };
            await ErrorAsync(context, status, e.Message, e.ItemsAccepted);
        }
    }

    /// <summary>The whole array, read as the item type and encoded, before anything is put; or why not.</summary>
    private async Task<(List<ReadOnlyMemory<byte>>? Payloads, string? Problem)> ReadItemsAsync(HttpContext context)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
        }
        catch (JsonException e)
        {
            return (null, $"the body is not JSON ({e.Message.TrimEnd('.')})");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return (null, $"the body is a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}, not an array of {jobs.Parts.ItemType.Name} items");
            }

            var payloads = new List<ReadOnlyMemory<byte>>(document.RootElement.GetArrayLength());
            var index = 0;
            foreach (var element in document.RootElement.EnumerateArray())
            {
                ReadOnlyMemory<byte> payload;
                try
                {
                    payload = jobs.Parts.EncodeJson(element, JsonSerializerOptions.Web);
                }
                catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or FormatException)
                {
                    return (null, $"item {index} is not a {jobs.Parts.ItemType.Name}: {Plain(e.Message).TrimEnd('.')}");
                }

                if (payload.Length > jobs.Settings.MaxItemBytes)
                {
                    return (null, $"item {index} is {payload.Length} bytes encoded, more than Pipeline:Queue:MaxItemBytes ({jobs.Settings.MaxItemBytes})");
                }

                payloads.Add(payload);
                index++;
            }

            return payloads.Count == 0 ? (null, "the array is empty") : (payloads, null);
        }
    }

    /// <summary>Runs a command with the API's limit: 404 for no such job, 400 for a refusal, 504 when the coordinator does not answer in time.</summary>
    private static async Task AnswerAsync(HttpContext context, Func<CancellationToken, Task> command)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        limit.CancelAfter(CommandLimit);
        try
        {
            await command(limit.Token);
        }
        catch (JobNotFoundException e)
        {
            await ErrorAsync(context, StatusCodes.Status404NotFound, e.Message);
        }
        catch (ArgumentException e)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, e.Message);
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            await ErrorAsync(
                context, StatusCodes.Status504GatewayTimeout,
                $"The coordinator did not answer within {CommandLimit}; the command may still take effect. Send it again: every jobs command is idempotent.");
        }
    }

    private static async Task<bool> BadIdAsync(HttpContext context, string id)
    {
        if (JobIds.Problem(id) is not { } problem)
        {
            return false;
        }

        await ErrorAsync(context, StatusCodes.Status400BadRequest, $"'{id}' is not a job id: {problem}.");
        return true;
    }

    /// <summary>The page's rule for its actions: 403 on a node without a token, 401 (with the challenge) for a missing or wrong one.</summary>
    private async Task<bool> AuthorizedAsync(HttpContext context, string? token, string action)
    {
        if (token is null)
        {
            JobsLog.Refused(log, action, Remote(context), "this node has no Operations:DashboardToken");
            await ErrorAsync(context, StatusCodes.Status403Forbidden, "Changing jobs is off on this node: it has no Operations:DashboardToken.");
            return false;
        }

        if (!DashboardToken.Matches(token, context.Request.Headers.Authorization))
        {
            JobsLog.Refused(log, action, Remote(context), "no token or a wrong one");
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await ErrorAsync(context, StatusCodes.Status401Unauthorized, $"{char.ToUpperInvariant(action[0])}{action[1..]} needs the operator's token (Authorization: Bearer ...).");
            return false;
        }

        return true;
    }

    private static string Remote(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "?";

    private static Task WriteJsonAsync<T>(HttpContext context, T value)
    {
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsJsonAsync(value, Json, context.RequestAborted);
    }

    /// <summary>
    /// A body the server would not read to its end (over Kestrel's request body limit, or sent too slowly): the
    /// client's mistake, answered with its status and one line, not an application error with a stack trace.
    /// </summary>
    private Task BodyUnreadAsync(HttpContext context, BadHttpRequestException e, string outcome)
    {
        JobsLog.BodyUnread(log, context.Request.Path, Remote(context), e.Message);
        return ErrorAsync(context, e.StatusCode, $"{outcome}: {e.Message.TrimEnd('.')}. Split a large put into several requests.");
    }

    /// <summary>A serializer's message without the API's own type names, which mean nothing to a caller.</summary>
    private static string Plain(string message) => message.Replace(typeof(OpenRequest).FullName!.Replace('+', '.'), "a job to open", StringComparison.Ordinal)
        .Replace(typeof(OpenRequest).FullName!, "a job to open", StringComparison.Ordinal);

    private static Task ErrorAsync(HttpContext context, int status, string error, long? accepted = null)
    {
        context.Response.StatusCode = status;
        return accepted is null
            ? context.Response.WriteAsJsonAsync(new ErrorResponse(error), Json, context.RequestAborted)
            : context.Response.WriteAsJsonAsync(new RefusedPutResponse(error, accepted.Value), Json, context.RequestAborted);
    }

    private sealed record OpenRequest(string? Name, int Weight = 1, string? Id = null);

    private sealed record PutResponse(long Accepted);

    private sealed record JobListResponse(IReadOnlyList<JobReport> Jobs);

    private sealed record ErrorResponse(string Error);

    private sealed record RefusedPutResponse(string Error, long Accepted);
}
