using System.Globalization;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Hosting.Commands;

/// <summary>
/// <c>ActorPipeline.Host dead-letters list|requeue [item-id ...]|discard item-id ...|--all</c>: reads the
/// coordinator's journal (the same configuration as the service: provider and connection string) and
/// lists the dead letters, puts them back on the queue for the next run, or discards them from the run
/// for good. Run it while the service is stopped: the journal must have one writer.
/// </summary>
internal static class DeadLetterCommand
{
    public const string Name = "dead-letters";

    public const string Usage = """
        Usage: ActorPipeline.Host dead-letters list [--Key=value ...]
               ActorPipeline.Host dead-letters requeue [item-id ...] [--Key=value ...]
               ActorPipeline.Host dead-letters discard item-id ...|--all [--Key=value ...]

        Reads the journal named by Pipeline:Persistence (same settings as the service). requeue
        without ids puts every dead letter back; the next run processes them. discard removes the
        named dead letters (or, with --all, every one) from the run for good: they count as settled,
        so a run whose only dead letters were discarded exits 0. Stop the service first.

        """;

    private const string AllSwitch = "--all";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var verb = args.FirstOrDefault();
        var ids = new List<long>();
        var settings = new List<string>();
        var all = false;
        foreach (var arg in args.Skip(1))
        {
            if (verb == "discard" && arg == AllSwitch)
            {
                all = true;
            }
            else if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                settings.Add(arg);
            }
            else if (verb is "requeue" or "discard" && long.TryParse(arg, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                ids.Add(id);
            }
            else
            {
                verb = null;
            }
        }

        // Discarding is for good: it names its items or says all, never by omission.
        if (verb is not ("list" or "requeue" or "discard") || (verb == "discard" && all == (ids.Count > 0)))
        {
            await error.WriteAsync(CommandLine.ForThisProgram(Usage));
            return ExitCodes.Failed;
        }

        await using var coordinator = await OfflineCoordinator.StartAsync(settings, error);
        if (coordinator is null)
        {
            return ExitCodes.Failed;
        }
        if (verb != "list" && ids.Count > 0)
        {
            // Ids that name no dead letter are a typo or a stale list: refuse the whole command, naming them, rather than act on part.
            if (await coordinator.AskAsync<DeadLetters>(GetDeadLetters.Instance) is not { } known)
            {
                return ExitCodes.Failed;
            }

            var unknown = ids.Except(known.Items.Select(d => d.ItemId)).ToList();
            if (unknown.Count > 0)
            {
                await error.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"No dead letter has the item id {string.Join(", ", unknown)}; nothing was done. 'dead-letters list' shows the ids."));
                return ExitCodes.Failed;
            }
        }

        switch (verb)
        {
            case "list":
                if (await coordinator.AskAsync<DeadLetters>(GetDeadLetters.Instance) is not { } letters)
                {
                    return ExitCodes.Failed;
                }

                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{letters.Items.Count} dead letters"));
                foreach (var dead in letters.Items)
                {
                    await output.WriteLineAsync(string.Create(
                        CultureInfo.InvariantCulture, $"item {dead.ItemId}  <{ItemFormatter.JsonOrHex.Describe(dead.Item)}>  attempts {dead.Attempts}  put {dead.Item.PutAt:O}  {dead.Error}"));
                }

                break;
            case "requeue":
                if (await coordinator.AskAsync<DeadLettersRequeuedAck>(new RequeueDeadLetters(ids)) is not { } requeued)
                {
                    return ExitCodes.Failed;
                }

                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"requeued {requeued.Count} dead letters; the next run processes them"));
                break;
            default:
                if (await coordinator.AskAsync<DeadLettersDiscardedAck>(new DiscardDeadLetters(ids)) is not { } discarded)
                {
                    return ExitCodes.Failed;
                }

                var left = await coordinator.AskAsync<QueueStatus>(GetStatus.Instance);
                await output.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture, $"discarded {discarded.Count} dead letters; {left?.DeadLettered ?? 0} left"));
                break;
        }

        return ExitCodes.Success;
    }
}
