using ActorPipeline.Hosting.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ActorPipeline;

/// <summary>Settings of one's own, checked as strictly as the pipeline's.</summary>
public static class ActorPipelineOptionsExtensions
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> from the configuration section <paramref name="section"/> and validates
    /// it at start-up with its data annotations (<c>[Range]</c>, <c>IValidatableObject</c>, nested classes too):
    /// a key that binds to nothing or a value out of range stops start-up with a line naming the full key and
    /// its value, as the pipeline's own settings do.
    /// </summary>
    /// <typeparam name="TOptions">The options class.</typeparam>
    /// <param name="services">The host's services.</param>
    /// <param name="section">The section's path, such as <c>Hashing</c> or <c>MyApp:Source</c>.</param>
    /// <returns>The options builder, for more configuration.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="section"/> is null.</exception>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IServiceCollection services, string section)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        return services.AddValidatedSection<TOptions>(section);
    }
}
