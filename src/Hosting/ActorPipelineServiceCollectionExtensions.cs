using ActorPipeline.Hosting.Configuration;
using ActorPipeline.Hosting.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ActorPipeline;

/// <summary>Adds ActorPipeline to a .NET host.</summary>
public static class ActorPipelineServiceCollectionExtensions
{
    /// <summary>
    /// Runs a pipeline node in this host: the actor system with the coordinator, producers and consumers its
    /// <c>Cluster:Roles</c> name, their options from <paramref name="configuration"/> (<c>Pipeline</c>, <c>Cluster</c>,
    /// <c>Operations</c>), the health endpoint, metrics and operator's page when their ports are set, and the runner
    /// that joins the run and stops the host when it is over. Run the host with
    /// <see cref="ActorPipelineHostExtensions.RunActorPipelineAsync"/> to get the run's exit code.
    /// </summary>
    /// <example>
    /// <code>
    /// builder.Services.AddActorPipeline(builder.Configuration, pipeline => pipeline
    ///     .AddItemSource&lt;FileSource&gt;()
    ///     .AddWorkHandler&lt;HashFile&gt;()
    ///     .AddResultSink&lt;HashesFile&gt;());
    /// </code>
    /// </example>
    /// <param name="services">The host's services.</param>
    /// <param name="configuration">The host's configuration.</param>
    /// <param name="configure">Adds the source, the handler and (if the handler returns results) the sink.</param>
    /// <returns>The services, for chaining.</returns>
    /// <exception cref="InvalidOperationException">The parts do not fit together, or a pipeline was already added.</exception>
    public static IServiceCollection AddActorPipeline(this IServiceCollection services, IConfiguration configuration, Action<ActorPipelineBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(configure);
        if (services.Any(d => d.ServiceType == typeof(PipelineParts)))
        {
            throw new InvalidOperationException("AddActorPipeline was already called for these services; a host runs one pipeline.");
        }

        var pipeline = new ActorPipelineBuilder(services, configuration);
        configure(pipeline);
        var parts = pipeline.Build();
        services.AddSingleton(parts);
        services.AddPipelineNode(configuration, parts);
        return services;
    }
}
