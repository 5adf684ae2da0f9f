using ActorPipeline.Consumers;
using ActorPipeline.Tests.Fakes;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog.Core;

namespace ActorPipeline.Tests.Library;

/// <summary>
/// The whole service in-process, composed as a user's Program composes it: <c>AddActorPipelineLogging()</c> and
/// <c>AddActorPipeline(configuration, pipeline => ...)</c> with the spec's own source, handler and sink, on the
/// in-memory journal with a few producers and consumers, every log event captured.
/// </summary>
internal sealed class UserPipelineHarness : IAsyncDisposable
{
    private readonly IHost _host;

    public UserPipelineHarness(
        Action<ActorPipelineBuilder> configure, Action<IServiceCollection>? register = null, params (string Key, string Value)[] settings)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(FastRun(settings));
        builder.Services.AddSingleton<ILogEventSink>(Sink);
        register?.Invoke(builder.Services);
        builder.AddActorPipelineLogging();
        builder.Services.AddActorPipeline(builder.Configuration, configure);
        _host = builder.Build();
        Result = _host.Services.GetRequiredService<RunResult>();
    }

    public CapturingSink Sink { get; } = new();

    public RunResult Result { get; }

    public IServiceProvider Services => _host.Services;

    /// <summary>The node's consumer pool, <c>/user/consumers</c>, once the node has started.</summary>
    public IActorRef Consumers => _host.Services.GetRequiredService<ActorRegistry>().Get<ConsumersKey>();

    public ActorSystem System => _host.Services.GetRequiredService<ActorSystem>();

    /// <summary>Runs until the service stops itself at the end of the run (or the token fires) and returns its summary.</summary>
    public async Task<RunSummary> RunAsync(CancellationToken cancellationToken)
    {
        await _host.RunAsync(cancellationToken);
        return await Result.Summary;
    }

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

    private static Dictionary<string, string?> FastRun((string Key, string Value)[] overrides)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Pipeline:Persistence:Provider"] = "InMemory",
            ["Pipeline:Producers:Count"] = "2",
            ["Pipeline:Consumers:Count"] = "3",
            ["Pipeline:Consumers:RetryBackoff"] = "00:00:00.001",
            ["Pipeline:Drain:Timeout"] = "00:00:10",
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        return settings;
    }
}
