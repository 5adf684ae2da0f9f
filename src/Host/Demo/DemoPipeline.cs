using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ActorPipeline.Host.Demo;

/// <summary>The seed's pipeline, composed with the public API as any service composes its own.</summary>
internal static class DemoPipeline
{
    /// <summary>Random byte items from <see cref="RandomItemSource"/>, slept on by <see cref="SimulatedWorkHandler"/>; settings from <c>Demo</c>.</summary>
    public static IServiceCollection AddDemoPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<DemoOptions>(DemoOptions.SectionName);

        // Registered before the pipeline adds it, so it stays one instance: its generators outlive an item.
        services.AddSingleton<SimulatedWorkHandler>();
        return services.AddActorPipeline(configuration, pipeline => pipeline
            .AddItemSource<RandomItemSource>()
            .AddWorkHandler<SimulatedWorkHandler>());
    }
}
