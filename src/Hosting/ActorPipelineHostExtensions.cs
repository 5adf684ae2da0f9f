using ActorPipeline.Hosting.Configuration;
using ActorPipeline.Hosting.Persistence;
using ActorPipeline.Hosting.Running;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ActorPipeline;

/// <summary>Runs a host that has a pipeline (<see cref="ActorPipelineServiceCollectionExtensions.AddActorPipeline"/>).</summary>
public static class ActorPipelineHostExtensions
{
    /// <summary>
    /// Checks every setting and the journal, runs the node until its run is over (or it is stopped), and returns
    /// the exit code that says how the run ended (<see cref="ExitCodes"/>): 0 only when every accepted item is
    /// done, 3 when the node was stopped first. Invalid settings are written to stderr, each naming its key, and
    /// return 1 before anything starts.
    /// </summary>
    /// <param name="host">A built host with a pipeline.</param>
    /// <param name="cancellationToken">Stops the node, like SIGTERM: the run is then unfinished.</param>
    /// <returns>The process's exit code.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="host"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The host has no pipeline (<see cref="ActorPipelineServiceCollectionExtensions.AddActorPipeline"/> was not called).</exception>
    public static async Task<int> RunActorPipelineAsync(this IHost host, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        try
        {
            // Every option validated now, before any hosted service (the actor system first) reads one and fails less readably.
            host.Services.GetService<IStartupValidator>()?.Validate();

            // A journal this node cannot use ends it here, in one line, before the actor system opens the file.
            if (!host.Services.GetRequiredService<JournalPreflight>().Passes())
            {
                return ExitCodes.Failed;
            }

            var result = host.Services.GetRequiredService<RunResult>();
            await host.RunAsync(cancellationToken).ConfigureAwait(false);
            return result.ExitCode;
        }
        catch (OptionsValidationException invalid)
        {
            return await InvalidConfiguration.ReportAsync([invalid]).ConfigureAwait(false);
        }
        catch (AggregateException several) when (several.Flatten().InnerExceptions.All(e => e is OptionsValidationException))
        {
            // Options that read other options fail with them: each failure is reported once.
            return await InvalidConfiguration.ReportAsync(several.Flatten().InnerExceptions.Cast<OptionsValidationException>()).ConfigureAwait(false);
        }
    }
}
