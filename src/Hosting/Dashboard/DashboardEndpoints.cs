using System.Text.Json;
using ActorPipeline.Hosting.Http;
using Akka.Actor;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Hosting.Dashboard;

/// <summary>
/// The page and its API, when <see cref="OperationsOptions.DashboardEnabled"/>: <c>GET /</c> and its assets,
/// <c>GET /api/overview</c> (the whole view), <c>GET /api/events</c> (server-sent events: the whole view, then each
/// new one), <c>GET /api/overview/jobs</c> (the jobs part of the view), <c>GET /api/overview/jobs/{id}</c> (one job with its producers
/// and dead letters, asked of the coordinator) and <c>POST /api/dead-letters/requeue</c> (needs the token; the body
/// names the items or says all).
/// Every one of them answers only to loopback names when the server listens on loopback (<see cref="LoopbackHostOnly"/>).
/// </summary>
internal sealed class DashboardEndpoints(RunSampler sampler, DashboardFeed feed, IOptions<OperationsOptions> options, ILogger<DashboardEndpoints> log)
    : IEndpointGroup
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // The page's own files only, no inline script or style: a page that takes a token should run nothing else.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public bool Enabled => options.Value.DashboardEnabled;

    public string Description => options.Value.EffectiveDashboardToken is null
        ? "the operator's page (/; read-only: no Operations:DashboardToken)"
        : "the operator's page (/; operator actions with the token)";

    public void Map(IEndpointRouteBuilder endpoints)
    {
        var token = options.Value.EffectiveDashboardToken;
        var page = endpoints.MapGroup("").WithMetadata(LoopbackHostOnly.Metadata);
        foreach (var (path, file) in DashboardAssets.Files)
        {
            page.MapGet(path, (HttpContext context) => ServeAsset(context, file));
        }

        page.MapGet("/api/overview", (HttpContext context) => WriteJsonAsync(context, sampler.FullView()));
        page.MapGet("/api/events", (HttpContext context) => StreamAsync(context, sampler, feed));
        page.MapGet("/api/overview/jobs", (HttpContext context) => WriteJsonAsync(context, sampler.Jobs()));
        page.MapGet("/api/overview/jobs/{jobId}", (HttpContext context, string jobId) => JobAsync(context, sampler, jobId));
        page.MapPost("/api/dead-letters/requeue", (HttpContext context) => RequeueAsync(context, sampler, token, log));
        page.MapPost("/api/dead-letters/discard", (HttpContext context) => DiscardAsync(context, sampler, token, log));
        page.MapPost("/api/run/end", (HttpContext context) => EndRunAsync(context, sampler, token, log));
    }

    private static Task ServeAsset(HttpContext context, (byte[] Content, string ContentType, string ETag) file)
    {
        var headers = context.Response.Headers;
        headers.ETag = file.ETag;
        headers.CacheControl = "no-cache"; // revalidated every load, so a new build's page is never mixed with an old script
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        if (context.Request.Headers.IfNoneMatch == file.ETag)
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        context.Response.ContentType = file.ContentType;
        return context.Response.Body.WriteAsync(file.Content, context.RequestAborted).AsTask();
    }

    private static async Task StreamAsync(HttpContext context, RunSampler sampler, DashboardFeed feed)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        var updates = feed.Subscribe(); // before the full view, so no update falls between the two
        try
        {
            await response.WriteAsync("retry: 2000\n", context.RequestAborted);
            await WriteEventAsync(response, "view", sampler.FullView(), context.RequestAborted);
            await foreach (var view in updates.ReadAllAsync(context.RequestAborted))
            {
                await WriteEventAsync(response, "update", view, context.RequestAborted);
            }

            // The node is stopping: the page keeps the last figures and stops reconnecting.
            await response.WriteAsync("event: end\ndata: {}\n\n", context.RequestAborted);
            await response.Body.FlushAsync(context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The page went away.
        }
        finally
        {
            feed.Unsubscribe(updates);
        }
    }

    private static async Task WriteEventAsync(HttpResponse response, string type, DashboardView view, CancellationToken cancellationToken)
    {
        await response.WriteAsync($"event: {type}\ndata: ", cancellationToken);
        await JsonSerializer.SerializeAsync(response.Body, view, Json, cancellationToken); // one line: JSON has no raw line breaks
        await response.WriteAsync("\n\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    /// <summary>One job, read from the coordinator now: 400 for what cannot be a job id, 404 for a job it does not know.</summary>
    private static async Task JobAsync(HttpContext context, RunSampler sampler, string jobId)
    {
        if (JobIds.Problem(jobId) is { } problem)
        {
            await ProblemAsync(context, StatusCodes.Status400BadRequest, $"'{jobId}' is not a job id: {problem}.");
            return;
        }

        JobDetailView? job;
        try
        {
            job = await sampler.JobAsync(jobId, context.RequestAborted);
        }
        catch (AskTimeoutException)
        {
            await ProblemAsync(context, StatusCodes.Status504GatewayTimeout, "The coordinator did not answer in time; try again.");
            return;
        }

        if (job is null)
        {
            await ProblemAsync(
                context, StatusCodes.Status404NotFound, $"The coordinator knows no job '{jobId}': it was never opened, or it settled and was forgotten (Pipeline:Jobs:Retention).");
            return;
        }

        await WriteJsonAsync(context, job);
    }

    private static async Task RequeueAsync(HttpContext context, RunSampler sampler, string? token, ILogger log)
    {
        var remote = context.Connection.RemoteIpAddress?.ToString() ?? "?";
        if (token is null)
        {
            DashboardLog.RequeueRefused(log, remote, "this node has no Operations:DashboardToken");
            await ProblemAsync(context, StatusCodes.Status403Forbidden, "Requeueing is off on this node: it has no Operations:DashboardToken.");
            return;
        }

        if (!DashboardToken.Matches(token, context.Request.Headers.Authorization))
        {
            DashboardLog.RequeueRefused(log, remote, "no token or a wrong one");
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await ProblemAsync(context, StatusCodes.Status401Unauthorized, "A requeue needs the dashboard's token (Authorization: Bearer ...).");
            return;
        }

        if (!context.Request.HasJsonContentType())
        {
            await ProblemAsync(context, StatusCodes.Status415UnsupportedMediaType, "A requeue's body is JSON: send it with Content-Type: application/json.");
            return;
        }

        RequeueRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync<RequeueRequest>(context.Request.Body, Json, context.RequestAborted);
        }
        catch (JsonException e)
        {
            await ProblemAsync(context, StatusCodes.Status400BadRequest, $"The body is not a requeue: JSON of the form {{\"itemIds\": [1, 2]}} or {{\"all\": true}} (at byte {e.BytePositionInLine ?? 0} of line {e.LineNumber ?? 0}).");
            return;
        }

        if (request is null || request.Problem is not null)
        {
            await ProblemAsync(context, StatusCodes.Status400BadRequest, $"Nothing was requeued: {request?.Problem ?? "the body is null"}.");
            return;
        }

        int count;
        try
        {
            count = await sampler.RequeueAsync(request.All ? null : request.ItemIds, context.RequestAborted);
        }
        catch (AskTimeoutException)
        {
            await ProblemAsync(context, StatusCodes.Status504GatewayTimeout, "The coordinator did not confirm the requeue in time; it may still happen. Look at the dead letters again.");
            return;
        }

        DashboardLog.Requeued(log, count, remote, request.All ? "every dead letter" : $"{request.ItemIds!.Count} item ids");
        await RefreshAsync(sampler, log); // the open pages see the list change now, not at the next tick
        await WriteJsonAsync(context, new RequeueResult(count));
    }

    /// <summary>The same body, token and answers as a requeue; the dead letters named go for good.</summary>
    private static async Task DiscardAsync(HttpContext context, RunSampler sampler, string? token, ILogger log)
    {
        var remote = context.Connection.RemoteIpAddress?.ToString() ?? "?";
        if (!await AuthorizedAsync(context, token, log, "a discard", remote))
        {
            return;
        }

        if (!context.Request.HasJsonContentType())
        {
            await ProblemAsync(context, StatusCodes.Status415UnsupportedMediaType, "A discard's body is JSON: send it with Content-Type: application/json.");
            return;
        }

        RequeueRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync<RequeueRequest>(context.Request.Body, Json, context.RequestAborted);
        }
        catch (JsonException e)
        {
            await ProblemAsync(context, StatusCodes.Status400BadRequest, $"The body is not a discard: JSON of the form {{\"itemIds\": [1, 2]}} or {{\"all\": true}} (at byte {e.BytePositionInLine ?? 0} of line {e.LineNumber ?? 0}).");
            return;
        }

        if (request is null || request.Problem is not null)
        {
            await ProblemAsync(context, StatusCodes.Status400BadRequest, $"Nothing was discarded: {request?.Problem ?? "the body is null"}.");
            return;
        }

        int count;
        try
        {
            count = await sampler.DiscardAsync(request.All ? null : request.ItemIds, context.RequestAborted);
        }
        catch (AskTimeoutException)
        {
            await ProblemAsync(context, StatusCodes.Status504GatewayTimeout, "The coordinator did not confirm the discard in time; it may still happen. Look at the dead letters again.");
            return;
        }

        DashboardLog.Discarded(log, count, remote, request.All ? "every dead letter" : $"{request.ItemIds!.Count} item ids");
        await RefreshAsync(sampler, log);
        await WriteJsonAsync(context, new DiscardResult(count));
    }

    /// <summary>Ends the run for adding: no body, the token as for a requeue.</summary>
    private static async Task EndRunAsync(HttpContext context, RunSampler sampler, string? token, ILogger log)
    {
        var remote = context.Connection.RemoteIpAddress?.ToString() ?? "?";
        if (!await AuthorizedAsync(context, token, log, "the end of the run", remote))
        {
            return;
        }

        RunEndAck ended;
        try
        {
            ended = await sampler.EndRunAsync($"the operator's page (from {remote})", context.RequestAborted);
        }
        catch (AskTimeoutException)
        {
            await ProblemAsync(context, StatusCodes.Status504GatewayTimeout, "The coordinator did not confirm the end of the run in time; it may still happen. Look at the page again.");
            return;
        }

        DashboardLog.RunEnded(log, remote, ended.ProducersEnded, ended.AlreadyOver);
        await RefreshAsync(sampler, log);
        await WriteJsonAsync(context, new RunEndResult(ended.ProducersEnded, ended.Unfinished, ended.AlreadyOver));
    }

    /// <summary>403 on a node without a token, 401 (with the challenge) for a missing or wrong one; true when the caller may go on.</summary>
    private static async Task<bool> AuthorizedAsync(HttpContext context, string? token, ILogger log, string action, string remote)
    {
        if (token is null)
        {
            DashboardLog.ActionRefused(log, action, remote, "this node has no Operations:DashboardToken");
            await ProblemAsync(context, StatusCodes.Status403Forbidden, $"Operator actions are off on this node: it has no Operations:DashboardToken.");
            return false;
        }

        if (!DashboardToken.Matches(token, context.Request.Headers.Authorization))
        {
            DashboardLog.ActionRefused(log, action, remote, "no token or a wrong one");
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await ProblemAsync(context, StatusCodes.Status401Unauthorized, $"Asking for {action} needs the dashboard's token (Authorization: Bearer ...).");
            return false;
        }

        return true;
    }

    /// <summary>A reading right after a requeue, best effort: the requeue is done whether or not it comes.</summary>
    private static async Task RefreshAsync(RunSampler sampler, ILogger log)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await sampler.SampleAsync(limit.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or AskTimeoutException)
        {
            DashboardLog.RefreshAfterRequeueFailed(log, e.GetType().Name);
        }
    }

    private static Task WriteJsonAsync<T>(HttpContext context, T value)
    {
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsJsonAsync(value, Json, context.RequestAborted);
    }

    private static Task ProblemAsync(HttpContext context, int status, string detail)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { status, detail }, Json, context.RequestAborted);
    }
}
