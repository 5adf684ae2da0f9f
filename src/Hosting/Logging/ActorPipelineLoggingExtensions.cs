using System.Globalization;
using ActorPipeline.Hosting.Clustering;
using ActorPipeline.Hosting.Logging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Serilog;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;
using AkkaLogLevel = Akka.Event.LogLevel;

namespace ActorPipeline;

/// <summary>The service's logging, for hosts that want the Host's log lines.</summary>
public static class ActorPipelineLoggingExtensions
{
    private const string TextTemplate = "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {Message:lj}{NewLine}{Exception}";

    /// <summary>
    /// Serilog for everything: our events, Microsoft.Extensions.Logging and (through
    /// <see cref="ActorPipelineServiceCollectionExtensions.AddActorPipeline"/>) Akka's own. Readable text by default, compact JSON (CLEF)
    /// with <c>Serilog:CompactJson=true</c>; levels and extra sinks from the <c>Serilog</c> section.
    /// </summary>
    /// <param name="builder">The application's builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IHostApplicationBuilder AddActorPipelineLogging(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        builder.Services.TryAddSingleton<AkkaLogsToSerilog>();
        builder.Services.TryAddSingleton<DepartingPeers>();
        builder.Services.AddSerilog((services, logger) =>
        {
            var departing = services.GetRequiredService<DepartingPeers>();
            logger.ReadFrom.Configuration(configuration)
                // Akka.Remote reports a departed node's link closing as a failure; only that, for those peers (see DepartingPeers).
                .Filter.ByExcluding(departing.IsLeftPeerDisconnect)
                .Filter.ByExcluding(UnreadableJournalEcho.IsEcho) // the coordinator says it once, with what to do
                .ReadFrom.Services(services)
                .Enrich.FromLogContext()
                .Enrich.WithProperty("Node", Environment.MachineName)
                .Enrich.WithProperty("Roles", configuration[$"{NodeOptions.SectionName}:{nameof(NodeOptions.Roles)}"] ?? new NodeOptions().Roles);
            var json = configuration.GetValue<bool>("Serilog:CompactJson");
            ITextFormatter formatter = json ? new CompactJsonFormatter() : new MessageTemplateTextFormatter(TextTemplate, CultureInfo.InvariantCulture);
            if (Console.IsOutputRedirected)
            {
                // To a file or a pipe: formatted off the actors' threads and written in large blocks, so that the
                // seed's per-item lines keep up; a full queue makes loggers wait rather than drop a line.
                logger.WriteTo.Sink(new BufferedOutputSink(Console.OpenStandardOutput(), formatter));
            }
            else
            {
                // A terminal: every line at once, in colour.
                if (json)
                {
                    logger.WriteTo.Console(formatter);
                }
                else
                {
                    logger.WriteTo.Console(outputTemplate: TextTemplate, formatProvider: CultureInfo.InvariantCulture);
                }
            }
        });
        return builder;
    }

    /// <summary>Akka filters before Serilog sees an event, so it gets the level Serilog would apply to "Akka" sources.</summary>
    internal static AkkaLogLevel AkkaLevelFor(IConfiguration configuration)
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
