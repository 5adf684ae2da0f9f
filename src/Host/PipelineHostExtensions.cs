using System.Globalization;
using ActorPipeline.Consumers;
using ActorPipeline.Coordinator;
using ActorPipeline.Producers;
using Akka.Hosting;
using Akka.Logger.Serilog;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;
using AkkaLogLevel = Akka.Event.LogLevel;

namespace ActorPipeline.Host;

/// <summary>The composition root, shared by Program and the tests that host the whole pipeline.</summary>
public static class PipelineHostExtensions
{
    private const string TextTemplate = "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {Message:lj}{NewLine}{Exception}";

    /// <summary>
    /// Serilog for everything: our events, Microsoft.Extensions.Logging and (through
    /// <see cref="AddActorPipeline"/>) Akka's own. Readable text by default, compact JSON (CLEF)
    /// with <c>Serilog:CompactJson=true</c>; levels and extra sinks from the <c>Serilog</c> section.
    /// </summary>
    public static IHostApplicationBuilder AddActorPipelineLogging(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        builder.Services.AddSerilog((services, logger) =>
        {
            logger.ReadFrom.Configuration(configuration)
                .ReadFrom.Services(services)
                .Enrich.FromLogContext()
                .Enrich.WithProperty("Node", Environment.MachineName)
                .Enrich.WithProperty("Roles", "coordinator,producer,consumer"); // the embedded node runs every role
            if (configuration.GetValue<bool>("Serilog:CompactJson"))
            {
                logger.WriteTo.Console(new CompactJsonFormatter());
            }
            else
            {
                logger.WriteTo.Console(outputTemplate: TextTemplate, formatProvider: CultureInfo.InvariantCulture);
            }
        });
        return builder;
    }

    /// <summary>Options, the actor system with coordinator, producers and consumers, and the runner.</summary>
    public static IHostApplicationBuilder AddActorPipeline(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<PipelineOptions>()
            .Configure<IConfiguration>((options, configuration) =>
            {
                try
                {
                    configuration.GetSection(PipelineOptions.SectionName).Bind(options);
                }
                catch (InvalidOperationException unparsable)
                {
                    // The binder's message names the key and the value; report it like any other invalid setting.
                    throw new OptionsValidationException(PipelineOptions.SectionName, typeof(PipelineOptions), [unparsable.Message]);
                }
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<PipelineOptions>, PipelineOptionsValidator>();

        // The host's own deadline must outlast the drain, or it would cut the drain short.
        services.AddOptions<HostOptions>().Configure<IOptions<PipelineOptions>>((host, pipeline) =>
            host.ShutdownTimeout = pipeline.Value.Drain.Timeout + TimeSpan.FromSeconds(15));

        services.TryAddSingleton<IItemSource>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<PipelineOptions>>().Value;
            return new RandomItemSource(options.Producers, options.Seed, sp.GetRequiredService<ILogger<RandomItemSource>>());
        });
        services.TryAddSingleton<IWorkHandler>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<PipelineOptions>>().Value;
            return new SimulatedWorkHandler(options.Consumers, options.Seed, sp.GetRequiredService<ILogger<SimulatedWorkHandler>>());
        });
        services.AddSingleton<RunResult>();

        var akkaLevel = AkkaLevelFor(builder.Configuration);
        services.AddAkka("actor-pipeline", (akka, sp) =>
        {
            var options = sp.GetRequiredService<IOptions<PipelineOptions>>().Value;
            var loggers = sp.GetRequiredService<ILoggerFactory>();
            akka.ConfigureLoggers(setup =>
                {
                    setup.LogLevel = akkaLevel;
                    setup.ClearLoggers();
                    setup.AddSerilogLogging();
                })
                // Without this Akka runs its shutdown on SIGTERM before the host stops the runner, and the drain finds no actors.
                .AddHocon("akka.coordinated-shutdown.run-by-clr-shutdown-hook = off", HoconAddMode.Prepend)
                .AddCoordinator(options.Queue, loggers)
                .AddProducers(options.Producers, sp.GetRequiredService<IItemSource>(), loggers)
                .AddConsumers(options.Consumers, sp.GetRequiredService<IWorkHandler>(), loggers);
        });

        // Registered after AddAkka, so it is stopped before the actor system on shutdown.
        services.AddHostedService<PipelineRunner>();
        return builder;
    }

    /// <summary>Akka filters before Serilog sees an event, so it gets the level Serilog would apply to "Akka" sources.</summary>
    private static AkkaLogLevel AkkaLevelFor(IConfiguration configuration)
    {
        var minimum = configuration["Serilog:MinimumLevel:Override:Akka"]
            ?? configuration["Serilog:MinimumLevel:Default"]
            ?? configuration["Serilog:MinimumLevel"];
        var level = Enum.TryParse<LogEventLevel>(minimum, ignoreCase: true, out var parsed) ? parsed : LogEventLevel.Information;
        return level switch
        {
            LogEventLevel.Verbose or LogEventLevel.Debug => AkkaLogLevel.DebugLevel,
            LogEventLevel.Information => AkkaLogLevel.InfoLevel,
            LogEventLevel.Warning => AkkaLogLevel.WarningLevel,
            _ => AkkaLogLevel.ErrorLevel,
        };
    }
}
