using System.Net;
using Microsoft.AspNetCore.Http;

namespace ActorPipeline.Hosting.Dashboard;

/// <summary>The Host-header check of a page that listens on loopback only.</summary>
internal static class LoopbackHostOnly
{
    /// <summary>Whether a request's host name is this machine's loopback: <c>localhost</c> or a loopback address.</summary>
    public static bool Allows(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    public static Task RefuseAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status421MisdirectedRequest;
        return context.Response.WriteAsync(
            "This page listens on loopback only and answers to localhost or 127.0.0.1; set Operations:DashboardHost to serve it elsewhere.",
            context.RequestAborted);
    }
}
