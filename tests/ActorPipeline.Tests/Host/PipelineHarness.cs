using ActorPipeline.Consumers;
using ActorPipeline.Tests.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog.Core;

using ActorPipeline.Host.Demo;

namespace ActorPipeline.Tests.Host;

/// <summary>
/// The whole service in-process, composed by the same <c>AddActorPipelineLogging()</c> and <c>AddDemoPipeline</c>
/// as Program, with settings layered over the defaults and every log event captured.
/// </summary>
internal sealed class PipelineHarness : IAsyncDisposable
{
    private readonly IHost _host;

    /// <param name="settings">Configuration layered over the defaults.</param>
    /// <param name="handler">The work handler, instead of the demo's.</param>
    /// <param name="configure">More services, registered after the harness's own (for example another log sink).</param>
    public PipelineHarness(
        IDictionary<string, string?> settings, Func<IServiceProvider, IPayloadHandler>? handler = null, Action<IServiceCollection>? configure = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton<ILogEventSink>(Sink);
        if (handler is not null)
        {
            builder.Services.AddSingleton(handler); // registered first, so the default handler stands aside
        }

        builder.AddActorPipelineLogging();
        builder.Services.AddDemoPipeline(builder.Configuration);
        configure?.Invoke(builder.Services);
        _host = builder.Build();
        Result = _host.Services.GetRequiredService<RunResult>();
    }

    public CapturingSink Sink { get; } = new();

    public RunResult Result { get; }

    public IServiceProvider Services => _host.Services;

    public IHostApplicationLifetime Lifetime => _host.Services.GetRequiredService<IHostApplicationLifetime>();

    /// <summary>Runs until the service stops itself (or the token fires) and returns its summary.</summary>
    public async Task<RunSummary> RunAsync(CancellationToken cancellationToken)
    {
        await _host.RunAsync(cancellationToken);
        return await Result.Summary;
    }

    public Task StartAsync(CancellationToken cancellationToken) => _host.StartAsync(cancellationToken);

    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _host.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_host is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync();
        }
        else
        {
            _host.Dispose();
        }
    }
}
