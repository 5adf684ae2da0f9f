using ActorPipeline.Coordinator;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorPipeline.Hosting.Commands;

/// <summary>
/// The coordinator recovered offline from the service's journal (the same configuration: provider and
/// connection string), for the operator commands run while the service is stopped: it hands out no
/// deliveries and starts no incarnation, and what it is asked to change is journaled as the service would.
/// </summary>
internal sealed class OfflineCoordinator : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    private readonly IHost _host;
    private readonly FileStream? _claim;
    private readonly CoordinatorFailure _failure;
    private readonly IActorRef _coordinator;
    private readonly TextWriter _error;

    private OfflineCoordinator(IHost host, CoordinatorFailure failure, IActorRef coordinator, TextWriter error, FileStream? claim)
    {
        _claim = claim;
        _host = host;
        _failure = failure;
        _coordinator = coordinator;
        _error = error;
    }

    /// <param name="settings">The command's <c>--Key=value</c> settings.</param>
    /// <param name="error">Where a journal the coordinator cannot read is reported.</param>
    /// <returns>The coordinator; null, with the reason written, when a running node holds the journal.</returns>
    public static async Task<OfflineCoordinator?> StartAsync(IReadOnlyList<string> settings, TextWriter error)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddCommandLine([.. settings]);
        builder.Logging.ClearProviders(); // the command's output is its answer, not a log
        builder.Services.AddValidatedSection<PipelineOptions>(PipelineOptions.SectionName);
        var failure = new CoordinatorFailure();
        builder.Services.AddAkka(NodeOptions.SystemName, (akka, sp) =>
        {
            var options = sp.GetRequiredService<IOptions<PipelineOptions>>().Value;
            akka.AddHocon("akka.loglevel = ERROR", HoconAddMode.Prepend)
                .AddQueueStore(options.Persistence)
                .WithQueueSerializer()
                .WithActors((system, registry) => registry.Register<CoordinatorKey>(system.ActorOf(
                    CoordinatorActor.OfflineProps(options.Queue, sp.GetRequiredService<ILogger<CoordinatorActor>>(), failure), "coordinator")));
        });

        var host = builder.Build();
        FileStream? claim = null;
        try
        {
            host.Services.GetService<IStartupValidator>()?.Validate();

            // A second writer of the journal would fail its first write on the running node's sequence numbers and
            // hang: a node running on it is refused at once, and none can start on it while the command runs.
            var persistence = host.Services.GetRequiredService<IOptions<PipelineOptions>>().Value.Persistence;
            if (persistence.Provider == PersistenceProvider.Sqlite)
            {
                try
                {
                    claim = JournalFileLock.Acquire(persistence.EffectiveConnectionString);
                }
                catch (IOException)
                {
                    await error.WriteLineAsync(
                        "The journal is in use by a running node: stop it first, or act on the running run from its operator's page " +
                        "(Operations:DashboardEnabled on Operations:HttpPort; POST /api/run/end, /api/dead-letters/requeue|discard with the token). Nothing was done.");
                    host.Dispose();
                    return null;
                }
            }

            await host.StartAsync();
            var coordinator = await host.Services.GetRequiredService<IRequiredActor<CoordinatorKey>>().GetAsync();
            return new OfflineCoordinator(host, failure, coordinator, error, claim);
        }
        catch
        {
            claim?.Dispose();
            host.Dispose();
            throw;
        }
    }

    /// <summary>The coordinator's answer; null, with the reason written, if it cannot recover the queue from its journal.</summary>
    public async Task<T?> AskAsync<T>(object message)
        where T : class
    {
        // A journal the coordinator cannot read answers nothing: say why at once instead of after the timeout.
        var ask = _coordinator.Ask<T>(message, Timeout);
        if (await Task.WhenAny(ask, _failure.Failed) == ask)
        {
            return await ask;
        }

        await _error.WriteLineAsync($"The coordinator cannot recover the queue from its journal: {await _failure.Failed}");
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync();
        }
        finally
        {
            _host.Dispose();
            _claim?.Dispose();
        }
    }
}
