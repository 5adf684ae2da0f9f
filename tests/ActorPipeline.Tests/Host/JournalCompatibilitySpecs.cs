using Microsoft.Data.Sqlite;

namespace ActorPipeline.Tests.Host;

/// <summary>
/// A user upgrading keeps the journal of the release before, in the working folder where the embedded
/// default put it. <c>Golden/journal-before-protobuf.db</c> is such a journal: the Host of commit
/// be4a808 (the last in the hand-written format) run with its defaults and killed nine seconds in, so it
/// holds unfinished items in a snapshot (manifest "S") and events after it ("EG", "EIC"), all under
/// serializer 7341. This version does not read that format; it must refuse at start-up saying what to
/// do, exit 1, and leave every row as it was, so that the release that wrote it can still finish the run.
/// </summary>
public sealed class JournalCompatibilitySpecs
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Should_refuse_a_journal_of_the_format_before_protocol_buffers_at_start_up_saying_what_to_do_and_leave_it_as_it_was()
    {
        var (folder, journal, before) = OldJournal();

        // The embedded default, as README starts it, in the folder that holds the old journal.
        using var host = HostProcess.Start([], new Dictionary<string, string> { ["DOTNET_ENVIRONMENT"] = "Container" }, folder);
        var exitCode = await host.WaitForExitAsync(TimeSpan.FromSeconds(60), Ct);

        Assert.Equal(1, exitCode);
        var events = host.JsonEvents;
        var refusal = Assert.Single(events, e => e.TryGetProperty("@l", out var level) && level.GetString() == "Fatal");
        var reason = refusal.GetProperty("Reason").GetString()!;
        Assert.Contains("format before Protocol Buffers", reason, StringComparison.Ordinal);
        Assert.Contains("finish the run with the version that wrote the journal", reason, StringComparison.Ordinal);
        Assert.Contains("move the journal away", reason, StringComparison.Ordinal);
        Assert.DoesNotContain(events, e => e.GetProperty("@mt").GetString()!.Contains("Program completed", StringComparison.Ordinal));
        Assert.DoesNotContain(events, e => e.GetProperty("@mt").GetString()!.Contains("Stop requested", StringComparison.Ordinal));
        Assert.Equal(before, Rows(journal));
    }

    [Fact]
    public async Task Should_tell_the_dead_letters_command_at_once_that_the_journal_is_of_the_format_before()
    {
        var (folder, journal, before) = OldJournal();

        using var command = HostProcess.Start(["dead-letters", "list"], new Dictionary<string, string>(), folder);
        var exitCode = await command.WaitForExitAsync(TimeSpan.FromSeconds(30), Ct); // well inside the command's one-minute ask

        Assert.Equal(1, exitCode);
        var said = string.Join('\n', command.Stderr);
        Assert.Contains("cannot recover the queue from its journal", said, StringComparison.Ordinal);
        Assert.Contains("format before Protocol Buffers", said, StringComparison.Ordinal);
        Assert.Equal(before, Rows(journal));
    }

    /// <summary>A fresh folder holding a copy of the golden journal where the embedded default looks for it, and its rows.</summary>
    private static (string Folder, string Journal, List<string> Rows) OldJournal()
    {
        var folder = Directory.CreateTempSubdirectory("actor-pipeline-upgrade-").FullName;
        var journal = Path.Combine(folder, "actor-pipeline.db");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Golden", "journal-before-protobuf.db"), journal);
        var rows = Rows(journal);
        Assert.Contains(rows, row => row.StartsWith("snapshot 7341 S ", StringComparison.Ordinal)); // what makes the specs mean something
        Assert.Contains(rows, row => row.StartsWith("journal 7341 EG ", StringComparison.Ordinal));
        return (folder, journal, rows);
    }

    /// <summary>Every journal and snapshot row as "table serializer manifest sequence-number bytes-as-hex".</summary>
    private static List<string> Rows(string database)
    {
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        var rows = new List<string>();
        foreach (var (table, manifest, serializer) in new[] { ("journal", "manifest", "identifier"), ("snapshot", "manifest", "serializer_id") })
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {serializer}, {manifest}, sequence_number, hex({(table == "journal" ? "message" : "snapshot")}) FROM {table} ORDER BY sequence_number";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                rows.Add($"{table} {reader.GetInt64(0)} {reader.GetString(1)} {reader.GetInt64(2)} {reader.GetString(3)}");
            }
        }

        return rows;
    }
}
