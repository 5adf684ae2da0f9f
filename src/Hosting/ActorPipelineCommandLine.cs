using ActorPipeline.Hosting.Commands;
using ActorPipeline.Hosting.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ActorPipeline;

/// <summary>
/// The command line every pipeline host shares: the seed's switches (<c>-p</c>, <c>-c</c>), <c>--Key=value</c>
/// settings, <c>--help</c>, and the operator's commands (<c>dead-letters</c>, <c>run end</c>, <c>secrets</c>),
/// which work on the journal and the certificates without starting a node.
/// </summary>
public static class ActorPipelineCommandLine
{
    /// <summary>
    /// Answers a command line that does not start a node: <c>--help</c>, an operator's command, or one with an
    /// unknown switch (refused, naming it). Returns its exit code, or null when <paramref name="args"/> start a node.
    /// </summary>
    /// <param name="args">The process's arguments.</param>
    /// <returns>The exit code to return, or null to go on and start the node.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="args"/> is null.</exception>
    public static async Task<int?> TryRunCommandAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);

        // Before the help switch, so that secrets --help is the command's own.
        if (args is [SecretsCommand.Name, .. var secretsArgs])
        {
            return SecretsCommand.Run(secretsArgs, Console.Out, Console.Error);
        }

        if (CommandLine.WantsHelp(args))
        {
            await Console.Out.WriteAsync(CommandLine.ForThisProgram(CommandLine.Usage)).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        if (args is [DeadLetterCommand.Name or RunCommand.Name, .. var commandArgs])
        {
            try
            {
                return args[0] == RunCommand.Name
                    ? await RunCommand.RunAsync(commandArgs, Console.Out, Console.Error).ConfigureAwait(false)
                    : await DeadLetterCommand.RunAsync(commandArgs, Console.Out, Console.Error).ConfigureAwait(false);
            }
            catch (OptionsValidationException invalid)
            {
                return await InvalidConfiguration.ReportAsync([invalid]).ConfigureAwait(false);
            }
        }

        if (CommandLine.FindInvalidArgument(args) is { } invalidArgument)
        {
            await Console.Error.WriteLineAsync($"Invalid command line: {invalidArgument} Try --help.").ConfigureAwait(false);
            return ExitCodes.Failed;
        }

        return null;
    }

    /// <summary>Adds the command line to configuration, last, so it wins: <c>--Key=value</c> settings and the seed's <c>-p</c>/<c>-c</c>.</summary>
    /// <param name="configuration">The host's configuration.</param>
    /// <param name="args">The process's arguments.</param>
    /// <returns>The configuration, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="configuration"/> is null.</exception>
    public static IConfigurationBuilder AddActorPipelineCommandLine(this IConfigurationBuilder configuration, string[] args)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.AddCommandLine(args, CommandLine.SwitchMappings.ToDictionary());
    }
}
