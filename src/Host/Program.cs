using ActorPipeline;
using ActorPipeline.Host.Demo;
using Microsoft.Extensions.Hosting;

// --help, the operator's commands (dead-letters, run end, secrets) and a bad switch are answered without starting a node.
if (await ActorPipelineCommandLine.TryRunCommandAsync(args) is { } commandExit)
{
    return commandExit;
}

// appsettings.json, appsettings.{DOTNET_ENVIRONMENT}.json, environment variables, then the command line: later wins.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddActorPipelineCommandLine(args);
builder.AddActorPipelineLogging();

// The seed's work (Demo/): random items, random sleeps. A service of your own adds its source and handler instead:
// services.AddActorPipeline(configuration, pipeline => pipeline.AddItemSource<TSource>().AddWorkHandler<THandler>()).
builder.Services.AddDemoPipeline(builder.Configuration);

using var host = builder.Build();
return await host.RunActorPipelineAsync();
