using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ActorPipeline.Hosting.Configuration;

/// <summary>Options bound from one configuration section and validated at start-up, every failure naming its key.</summary>
internal static class SectionBinding
{
    public static OptionsBuilder<TOptions> AddValidatedSection<TOptions>(this IServiceCollection services, string section)
        where TOptions : class
    {
        services.AddSingleton<IValidateOptions<TOptions>>(sp => new SectionValidator<TOptions>(sp.GetRequiredService<IConfiguration>(), section));
        return services.AddOptions<TOptions>()
            .Configure<IConfiguration>((options, configuration) =>
            {
                try
                {
                    configuration.GetSection(section).Bind(options);
                }
                catch (InvalidOperationException unparsable)
                {
                    // The binder's message names the key and the value; report it like any other invalid setting.
                    throw new OptionsValidationException(section, typeof(TOptions), [unparsable.Message]);
                }
            })
            .ValidateOnStart();
    }

}
