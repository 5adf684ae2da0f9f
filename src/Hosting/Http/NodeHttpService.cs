using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorPipeline.Hosting.Http;

/// <summary>
/// Starts the node's HTTP server (<see cref="NodeHttpServer"/>) on <see cref="OperationsOptions.HttpHost"/> and
/// <see cref="OperationsOptions.HttpPort"/> when any <see cref="IEndpointGroup"/> is on, and nothing when none is.
/// Registered after the actor system and before the page's sampling, so it starts once the health checks have an
/// actor system to ask, and stops after the page has sent every open page the end of its stream.
/// </summary>
internal sealed class NodeHttpService(
    IOptions<OperationsOptions> options, IEnumerable<IEndpointGroup> groups, ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(5);

    private readonly ILogger _log = loggers.CreateLogger<NodeHttpService>();
    private NodeHttpServer? _server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var on = groups.Where(g => g.Enabled).ToList();
        if (on.Count == 0)
        {
            return;
        }

        var address = IPAddress.Parse(settings.HttpHost);
        _server = CreateServer(address, settings.HttpPort, on);
        try
        {
            await _server.StartAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            // A port another process holds, or an address this machine does not have, is a setting that cannot be
            // honoured: said like one, naming the key, exit 1.
            await _server.DisposeAsync();
            _server = null;
            // Kestrel wraps the socket's error in an IOException; either way the error code tells address from port.
            var key = (e as SocketException ?? e.InnerException as SocketException) is { SocketErrorCode: SocketError.AddressNotAvailable }
                ? $"{nameof(OperationsOptions.HttpHost)} = {settings.HttpHost}"
                : $"{nameof(OperationsOptions.HttpPort)} = {settings.HttpPort}";
            throw new OptionsValidationException(
                OperationsOptions.SectionName,
                typeof(OperationsOptions),
                [$"{OperationsOptions.SectionName}:{key}: cannot listen on {settings.HttpHost}:{settings.HttpPort}: {e.InnerException?.Message ?? e.Message}"]);
        }

        HttpLog.Listening(_log, $"http://{settings.HttpHost}:{settings.HttpPort}/", string.Join(", ", on.Select(g => g.Description)));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is null)
        {
            return;
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(StopLimit);
        await _server.StopAsync(limit.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    // Not inlined: ASP.NET Core's assemblies load when this is compiled, so only on a node that serves something.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private NodeHttpServer CreateServer(IPAddress address, int port, IReadOnlyList<IEndpointGroup> on) => new(address, port, on, loggers);
}
