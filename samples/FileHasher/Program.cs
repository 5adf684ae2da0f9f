using ActorPipeline;
using ActorPipeline.Samples.FileHasher;
using Microsoft.Extensions.Hosting;

// --help, the operator's commands (dead-letters, run end) and a bad switch are answered without starting a node.
if (await ActorPipelineCommandLine.TryRunCommandAsync(args) is { } commandExit)
{
    return commandExit;
}

// appsettings.json beside the program, environment variables, then --Hashing:Root=... on the command line: later wins.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddActorPipelineCommandLine(args);
builder.AddActorPipelineLogging();

builder.Services.AddValidatedOptions<HashingOptions>(HashingOptions.SectionName);
builder.Services.AddActorPipeline(builder.Configuration, pipeline => pipeline
    .AddItemSource<FileSource>()
    .AddWorkHandler<HashFile>()
    .AddResultSink<HashesFile>()
    .FormatItems<FileToHash>(file => file.Path));

using var host = builder.Build();
return await host.RunActorPipelineAsync();
