using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ActorPipeline.Hosting.Http;

/// <summary>
/// The Host-header check of endpoints that must not be read through a browser from elsewhere (the page and its API).
/// On an endpoint as metadata it tells <see cref="NodeHttpServer"/> to check; the server does so when it listens on
/// loopback only. Health and metrics carry no such mark: a prober may address them by any name.
/// </summary>
internal sealed class LoopbackHostOnly
{
    private LoopbackHostOnly()
    {
    }

    /// <summary>The metadata that marks an endpoint.</summary>
    public static LoopbackHostOnly Metadata { get; } = new();

    /// <summary>Whether a request's host name is this machine's loopback: <c>localhost</c> or a loopback address.</summary>
    public static bool Allows(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    /// <summary>
    /// Refuses a marked endpoint's request addressed to another name. Listening on loopback only, such a request can
    /// only come from a web page elsewhere that points its own host name at 127.0.0.1 (DNS rebinding) to read the page
    /// through the user's browser.
    /// </summary>
    public static void Enforce(IApplicationBuilder app) => app.Use((context, next) =>
        context.GetEndpoint()?.Metadata.GetMetadata<LoopbackHostOnly>() is null || Allows(context.Request.Host.Host)
            ? next(context)
            : RefuseAsync(context));

    private static Task RefuseAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status421MisdirectedRequest;
        return context.Response.WriteAsync(
            "This page listens on loopback only and answers to localhost or 127.0.0.1; set Operations:HttpHost to serve it elsewhere.",
            context.RequestAborted);
    }
}
