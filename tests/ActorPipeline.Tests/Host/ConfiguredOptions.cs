using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

using ActorPipeline.Host.Demo;

namespace ActorPipeline.Tests.Host;

/// <summary>Options bound and validated as at start-up, from the given settings only (a later setting of the same key wins).</summary>
internal static class ConfiguredOptions
{
    public static TOptions Resolve<TOptions>(params (string Key, string Value)[] settings)
        where TOptions : class
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new Microsoft.Extensions.Hosting.HostApplicationBuilderSettings { DisableDefaults = true });
        var lastWins = new Dictionary<string, string?>();
        foreach (var (key, value) in settings)
        {
            lastWins[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(lastWins);
        builder.Services.AddDemoPipeline(builder.Configuration);
        using var host = builder.Build();
        return host.Services.GetRequiredService<IOptions<TOptions>>().Value;
    }

    /// <summary>The one validation failure the settings cause.</summary>
    public static string SingleFailure<TOptions>(params (string Key, string Value)[] settings)
        where TOptions : class =>
        Assert.Single(Assert.Throws<OptionsValidationException>(() => Resolve<TOptions>(settings)).Failures);
}
