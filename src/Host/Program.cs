using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

// Before the help switch, so that secrets --help is the command's own.
if (args is [SecretsCommand.Name, .. var secretsArgs])
{
    return SecretsCommand.Run(secretsArgs, Console.Out, Console.Error);
}

if (CommandLine.WantsHelp(args))
{
    Console.Out.Write(CommandLine.Usage);
    return ExitCodes.Success;
}

if (args is [DeadLetterCommand.Name or RunCommand.Name, .. var commandArgs])
{
    try
    {
        return args[0] == RunCommand.Name
            ? await RunCommand.RunAsync(commandArgs, Console.Out, Console.Error)
            : await DeadLetterCommand.RunAsync(commandArgs, Console.Out, Console.Error);
    }
    catch (OptionsValidationException invalid)
    {
        foreach (var failure in invalid.Failures)
        {
            Console.Error.WriteLine($"Invalid configuration: {failure}");
        }

        return ExitCodes.Failed;
    }
}

if (CommandLine.FindInvalidArgument(args) is { } invalidArgument)
{
    Console.Error.WriteLine($"Invalid command line: {invalidArgument} Try --help.");
    return ExitCodes.Failed;
}

try
{
    // appsettings.json, appsettings.{DOTNET_ENVIRONMENT}.json, environment variables, then the command line: later wins.
    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
    builder.Configuration.AddCommandLine(args, CommandLine.SwitchMappings.ToDictionary());
    builder.AddActorPipelineLogging().AddActorPipeline();

    using var host = builder.Build();

    // Every option validated now, before any hosted service (the actor system first) reads one and fails less readably.
    host.Services.GetService<IStartupValidator>()?.Validate();

    // A journal this node cannot use ends it here, in one line, before the actor system opens the file.
    if (!host.Services.GetRequiredService<JournalPreflight>().Passes())
    {
        return ExitCodes.Failed;
    }

    var result = host.Services.GetRequiredService<RunResult>();
    await host.RunAsync();
    return result.ExitCode;
}
catch (OptionsValidationException invalid)
{
    foreach (var failure in invalid.Failures)
    {
        Console.Error.WriteLine($"Invalid configuration: {failure}");
    }

    return ExitCodes.Failed;
}
