using System.Globalization;
using ActorPipeline.Coordinator;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static ActorPipeline.Coordinator.QueueProtocol;

namespace ActorPipeline.Host;

/// <summary>
/// <c>ActorPipeline.Host dead-letters list|requeue [item-id ...]</c>: reads the coordinator's journal
/// (the same configuration as the service: provider and connection string) and lists the dead
/// letters, or puts them back on the queue for the next run. Run it while the service is stopped:
/// the journal must have one writer.
/// </summary>
public static class DeadLetterCommand
{
    public const string Name = "dead-letters";

    public const string Usage = """
        Usage: ActorPipeline.Host dead-letters list [--Key=value ...]
               ActorPipeline.Host dead-letters requeue [item-id ...] [--Key=value ...]

        Reads the journal named by Pipeline:Persistence (same settings as the service). requeue
        without ids puts every dead letter back; the next run processes them. Stop the service first.

        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var verb = args.FirstOrDefault();
        var ids = new List<long>();
        var settings = new List<string>();
        foreach (var arg in args.Skip(1))
        {
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                settings.Add(arg);
            }
            else if (verb == "requeue" && long.TryParse(arg, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                ids.Add(id);
            }
            else
            {
                verb = null;
            }
        }

        if (verb is not ("list" or "requeue"))
        {
            await error.WriteAsync(Usage);
            return ExitCodes.Failed;
        }

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
                .WithActors((system, _) => failure.Listen(system)) // before the coordinator
                .WithActors((system, registry) => registry.Register<CoordinatorActor>(system.ActorOf(
                    CoordinatorActor.Props(options.Queue, 0, sp.GetRequiredService<ILogger<CoordinatorActor>>(), offline: true), "coordinator")));
        });

        using var host = builder.Build();
        host.Services.GetService<IStartupValidator>()?.Validate();
        await host.StartAsync();
        try
        {
            var coordinator = await host.Services.GetRequiredService<IRequiredActor<CoordinatorActor>>().GetAsync();
            var timeout = TimeSpan.FromMinutes(1);

            // A journal the coordinator cannot read answers nothing: say why at once instead of after the timeout.
            async Task<T?> AskAsync<T>(object message)
                where T : class
            {
                var ask = coordinator.Ask<T>(message, timeout);
                if (await Task.WhenAny(ask, failure.Failed) == ask)
                {
                    return await ask;
                }

                await error.WriteLineAsync($"The coordinator cannot recover the queue from its journal: {failure.Failed.Result.Reason}");
                return null;
            }

            if (verb == "list")
            {
                if (await AskAsync<DeadLetters>(GetDeadLetters.Instance) is not { } letters)
                {
                    return ExitCodes.Failed;
                }

                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{letters.Items.Count} dead letters"));
                foreach (var dead in letters.Items)
                {
                    await output.WriteLineAsync(string.Create(
                        CultureInfo.InvariantCulture, $"item {dead.ItemId}  <{dead.Item.Hex}>  attempts {dead.Attempts}  put {dead.Item.PutAt:O}  {dead.Error}"));
                }
            }
            else
            {
                if (await AskAsync<DeadLettersRequeuedAck>(new RequeueDeadLetters(ids)) is not { } requeued)
                {
                    return ExitCodes.Failed;
                }

                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"requeued {requeued.Count} dead letters; the next run processes them"));
            }

            return ExitCodes.Success;
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
