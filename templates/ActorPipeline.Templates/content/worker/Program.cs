using ActorPipeline;
using ActorPipelineWorker;
using Microsoft.Extensions.Hosting;

// --help, the operator's commands (dead-letters, run end, secrets) and a bad switch are answered without starting a node.
if (await ActorPipelineCommandLine.TryRunCommandAsync(args) is { } commandExit)
{
    return commandExit;
}

// appsettings.json (next to the app), appsettings.{DOTNET_ENVIRONMENT}.json, environment variables
// (Pipeline__Consumers__Count=8), then the command line (--Pipeline:Consumers:Count=8, -p 2, -c 8): later wins.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddActorPipelineCommandLine(args);
builder.AddActorPipelineLogging();

// This worker's own settings (the "Worker" section), checked at start-up like the pipeline's.
builder.Services.AddValidatedOptions<WorkerOptions>(WorkerOptions.SectionName);

// Producers read the source, consumers run the handler on every item; which of them run on this node
// is Cluster:Roles. Items travel as JSON.
builder.Services.AddActorPipeline(builder.Configuration, pipeline => pipeline
    .AddItemSource<NumberSource>()
    .AddWorkHandler<FactorHandler>());

using var host = builder.Build();

// 0: every item done; 1: failed (or invalid settings); 2: some items were dead-lettered;
// 3: stopped before the run finished (start it again the same way to resume); 4: the source failed.
return await host.RunActorPipelineAsync();
