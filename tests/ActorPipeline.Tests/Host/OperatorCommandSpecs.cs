using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ActorPipeline.Tests.Host;

/// <summary>
/// The built Host and its operator commands on one journal in one folder, as a user runs them: a
/// permanently failing item, its dead letter discarded, and a run ended on purpose.
/// </summary>
public sealed class OperatorCommandSpecs
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(90);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, string> Run(params (string Key, string Value)[] overrides)
    {
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Container", // compact JSON on stdout; the journal is the embedded SQLite file in the folder
            ["Pipeline__Producers__Count"] = "2",
            ["Demo__Producers__MinItems"] = "10",
            ["Demo__Producers__MaxItems"] = "10",
            ["Demo__Producers__MaxDelay"] = "00:00:00",
            ["Pipeline__Consumers__Count"] = "2",
            ["Demo__Consumers__MaxDelay"] = "00:00:00",
            ["Pipeline__Consumers__MaxAttempts"] = "5",
            ["Cluster__NodeName"] = "operator-spec", // items are drawn per producer id: a fixed name makes the same poison items every time
        };
        foreach (var (key, value) in overrides)
        {
            environment[key] = value;
        }

        return environment;
    }

    private static JsonElement Summary(HostProcess host) =>
        Assert.Single(host.JsonEvents, e => e.TryGetProperty("@mt", out var mt) && mt.GetString() == Templates.Summary);

    [Fact]
    public async Task Should_exit_2_for_a_permanent_failure_and_0_after_its_dead_letter_is_discarded()
    {
        using var folder = new TempFolder();
        var poisoned = Run(("Demo__Consumers__PoisonRate", "0.2"), ("Demo__Consumers__PoisonPermanent", "true"));

        using (var first = HostProcess.Start([], poisoned, folder.Path))
        {
            Assert.Equal(2, await first.WaitForExitAsync(RunLimit, Ct));
            var dead = first.JsonEvents.Where(e => e.GetProperty("@mt").GetString() == Templates.DeadLetter).ToList();
            Assert.NotEmpty(dead);
            Assert.All(dead, d => Assert.Equal(1, d.GetProperty("Attempts").GetInt32())); // at once, though 5 attempts are allowed
            Assert.All(dead, d => Assert.StartsWith("PermanentItemFailureException: ", d.GetProperty("Error").GetString(), StringComparison.Ordinal));
            Assert.Equal(dead.Count, Summary(first).GetProperty("DeadLettered").GetInt32());
        }

        // Without a discard, the dead letters carry over and every later run exits 2.
        using (var again = HostProcess.Start([], Run(), folder.Path))
        {
            Assert.Equal(2, await again.WaitForExitAsync(RunLimit, Ct));
        }

        // An id that is no dead letter is refused by name, and nothing is discarded.
        using (var typo = HostProcess.Start(["dead-letters", "discard", "999999"], new Dictionary<string, string>(), folder.Path))
        {
            Assert.Equal(1, await typo.WaitForExitAsync(RunLimit, Ct));
            Assert.Contains(typo.Stderr, line => line.Contains("No dead letter has the item id 999999; nothing was done.", StringComparison.Ordinal));
        }

        using (var discard = HostProcess.Start(["dead-letters", "discard", "--all"], new Dictionary<string, string>(), folder.Path))
        {
            Assert.Equal(0, await discard.WaitForExitAsync(RunLimit, Ct));
            Assert.Matches(@"^discarded [1-9][0-9]* dead letters; 0 left$", Assert.Single(discard.Stdout));
        }

        using var last = HostProcess.Start([], Run(), folder.Path);
        Assert.True(await last.WaitForExitAsync(RunLimit, Ct) == 0, string.Join('\n', last.Stdout.TakeLast(5)));
        var summary = Summary(last);
        Assert.Equal((20, 20, 0), (summary.GetProperty("Accepted").GetInt32(), summary.GetProperty("Completed").GetInt32(), summary.GetProperty("DeadLettered").GetInt32()));
    }

    [Fact]
    public async Task Should_refuse_a_discard_that_names_nothing()
    {
        using var folder = new TempFolder();
        using var discard = HostProcess.Start(["dead-letters", "discard"], new Dictionary<string, string>(), folder.Path);

        Assert.Equal(1, await discard.WaitForExitAsync(RunLimit, Ct));
        Assert.Contains(discard.Stderr, line => line.Contains("dead-letters discard item-id ...|--all", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(folder.Path, "actor-pipeline.db")), "a refused command opened the journal");
    }

    [Fact]
    public async Task Should_end_a_run_whose_node_was_killed_so_that_its_producers_put_nothing_more()
    {
        using var folder = new TempFolder();

        // Producers far ahead of slow consumers: when the node is killed, items are accepted and not yet done,
        // so the run end closes the run for adding and the next start has something to settle.
        (string, string)[] producers = [("Demo__Producers__MinItems", "1000"), ("Demo__Producers__MaxItems", "1000"), ("Demo__Producers__MaxDelay", "00:00:00.005")];
        var slow = Run([.. producers, ("Demo__Consumers__MinDelay", "00:00:00.050"), ("Demo__Consumers__MaxDelay", "00:00:00.100")]);
        using (var killed = HostProcess.Start([], slow, folder.Path))
        {
            static int Count(IEnumerable<string> lines, string template) => lines.Count(l => l.Contains(template, StringComparison.Ordinal));
            await killed.WaitForOutputAsync(
                lines => Count(lines, Templates.Got) >= 5 && Count(lines, Templates.Added) >= Count(lines, Templates.Got) + 10, RunLimit, Ct);
            killed.KillNow();
            await killed.WaitForExitAsync(RunLimit, Ct);
        }

        long accepted;
        using (var end = HostProcess.Start(["run", "end"], new Dictionary<string, string>(), folder.Path))
        {
            Assert.Equal(0, await end.WaitForExitAsync(RunLimit, Ct));
            var said = Assert.Single(end.Stdout);
            var figures = Regex.Match(
                said,
                @"^run closed for adding: 2 producers ended early; (?<accepted>\d+) accepted, (?<completed>\d+) completed, 0 dead-lettered, 0 discarded, (?<unfinished>\d+) unfinished; start the service to settle the unfinished items$");
            Assert.True(figures.Success, said);
            accepted = long.Parse(figures.Groups["accepted"].Value, CultureInfo.InvariantCulture);
            var unfinished = long.Parse(figures.Groups["unfinished"].Value, CultureInfo.InvariantCulture);
            Assert.True(unfinished >= 10, said); // at least the items added and not yet delivered when it was killed
            Assert.Equal(accepted, long.Parse(figures.Groups["completed"].Value, CultureInfo.InvariantCulture) + unfinished);
        }

        // The node started again the same way (same folder, same node name, same producers): its producers put
        // nothing more, the accepted items are settled, and the run is over.
        using (var restarted = HostProcess.Start([], Run(producers), folder.Path)) // consumers at full speed now
        {
            var exitCode = await restarted.WaitForExitAsync(RunLimit, Ct);
            Assert.True(exitCode == ExitCodes.Success, $"exit code {exitCode}:\n{string.Join('\n', restarted.Stdout.TakeLast(5))}");
            var events = restarted.JsonEvents;
            Assert.DoesNotContain(events, e => e.GetProperty("@mt").GetString() == Templates.Added);
            var summary = Summary(restarted);
            Assert.Equal(
                (accepted, accepted, 0L, 0L),
                (summary.GetProperty("Accepted").GetInt64(), summary.GetProperty("Completed").GetInt64(),
                    summary.GetProperty("NotCompleted").GetInt64(), summary.GetProperty("DeadLettered").GetInt64()));
            Assert.Equal(summary.GetProperty("Rejected").GetInt64(), summary.GetProperty("Produced").GetInt64()); // whatever they offered was refused
            Assert.Single(events, e => e.GetProperty("@mt").GetString() == Templates.Joined);
        }

        using var again = HostProcess.Start(["run", "end"], new Dictionary<string, string>(), folder.Path);
        Assert.Equal(0, await again.WaitForExitAsync(RunLimit, Ct));
        Assert.StartsWith("the run was already over or ended; nothing changed", Assert.Single(again.Stdout), StringComparison.Ordinal);
    }
}
