using System.Globalization;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Hosting.Commands;

/// <summary>
/// <c>ActorPipeline.Host run end</c>: ends the run in the service's journal on purpose, while the service
/// is stopped (as <see cref="DeadLetterCommand"/>, the journal must have one writer; a running service is
/// ended from its operator's page). Every producer not yet done counts as done, its items not yet accepted
/// are never put, and the run completes once its accepted items are settled.
/// </summary>
internal static class RunCommand
{
    public const string Name = "run";

    public const string Usage = """
        Usage: ActorPipeline.Host run end [--Key=value ...]

        Ends the run in the journal named by Pipeline:Persistence (same settings as the service) on
        purpose: producers not yet done count as done and put nothing more. With nothing left to settle
        the run is over now and the next start begins a new one; otherwise the next start settles the
        accepted items still unfinished and then ends. Stop the service first; a running service is
        ended with POST /api/run/end on its operator's page.

        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (args is not ["end", .. var settings] || settings.Any(s => !s.StartsWith("--", StringComparison.Ordinal)))
        {
            await error.WriteAsync(CommandLine.ForThisProgram(Usage));
            return ExitCodes.Failed;
        }

        await using var coordinator = await OfflineCoordinator.StartAsync(settings, error);
        if (coordinator is null)
        {
            return ExitCodes.Failed;
        }
        var requestedBy = $"the run end command ({Environment.UserName}@{Environment.MachineName})";
        if (await coordinator.AskAsync<RunEndAck>(new EndRun(requestedBy)) is not { } ended
            || await coordinator.AskAsync<QueueStatus>(GetStatus.Instance) is not { } status)
        {
            return ExitCodes.Failed;
        }

        var counts = string.Create(
            CultureInfo.InvariantCulture,
            $"{status.Accepted} accepted, {status.Completed} completed, {status.DeadLettered} dead-lettered, {status.Discarded} discarded, {status.Unfinished} unfinished");
        await output.WriteLineAsync(
            ended.AlreadyOver ? $"the run was already over or ended; nothing changed ({counts})"
            : ended.Unfinished == 0 ? string.Create(CultureInfo.InvariantCulture, $"run ended: {ended.ProducersEnded} producers ended early; {counts}; the next start begins a new run")
            : string.Create(CultureInfo.InvariantCulture, $"run closed for adding: {ended.ProducersEnded} producers ended early; {counts}; start the service to settle the unfinished items"));
        return ExitCodes.Success;
    }
}
