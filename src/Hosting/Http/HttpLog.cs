using Microsoft.Extensions.Logging;

namespace ActorPipeline.Hosting.Http;

/// <summary>The node's HTTP server's log events.</summary>
internal static partial class HttpLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP server on {Url}: {Endpoints}.")]
    public static partial void Listening(ILogger log, string url, string endpoints);
}
