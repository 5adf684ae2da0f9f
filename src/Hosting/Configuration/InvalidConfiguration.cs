using Microsoft.Extensions.Options;

namespace ActorPipeline.Hosting.Configuration;

/// <summary>How invalid settings end a program: one line per problem on stderr, each naming its key, and exit code 1.</summary>
internal static class InvalidConfiguration
{
    /// <summary>Writes each failure once (options that read other options fail with them) and returns the exit code.</summary>
    public static async Task<int> ReportAsync(IEnumerable<OptionsValidationException> invalid)
    {
        foreach (var failure in invalid.SelectMany(e => e.Failures).Distinct())
        {
            await Console.Error.WriteLineAsync($"Invalid configuration: {failure}").ConfigureAwait(false);
        }

        return ExitCodes.Failed;
    }
}
