using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace ActorPipeline.Tests.Host;

/// <summary>
/// The embedded default as README starts it, in a folder whose journal (<c>./actor-pipeline.db</c>) it
/// cannot use: each case ends at once with exit 1 and one Fatal line naming the file, what is wrong and
/// what to do; no stack trace, no abort, no hang; and the file's bytes are as they were.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // read-only files are made with Unix modes
public sealed class JournalDamageSpecs : IDisposable
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(60);
    private readonly TempFolder _folder = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Journal => Path.Combine(_folder.Path, "actor-pipeline.db");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Should_refuse_a_truncated_journal_in_one_line_and_leave_it_as_it_was()
    {
        // The first half of a real journal (the golden one a Host left when killed mid-run).
        var whole = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Golden", "journal-before-protobuf.db"), Ct);
        await File.WriteAllBytesAsync(Journal, whole[..(whole.Length / 2)], Ct);

        await RefusesAsync("is damaged, truncated or corrupt", "move it away to start afresh");
    }

    [Fact]
    public async Task Should_refuse_a_journal_that_is_not_a_database_in_one_line_and_leave_it_as_it_was()
    {
        await File.WriteAllBytesAsync(Journal, RandomNumberGenerator.GetBytes(40_000), Ct);

        await RefusesAsync("is not a SQLite database", "move it away to start afresh");
    }

    [Fact]
    public async Task Should_refuse_a_read_only_journal_in_one_line_instead_of_hanging()
    {
        await WriteRealJournalAsync();
        using var readOnly = new ReadOnlyPath(Journal);

        await RefusesAsync("is read-only for this process", "make both writable");
    }

    [Fact]
    public async Task Should_refuse_a_journal_in_a_read_only_folder_in_one_line_instead_of_hanging()
    {
        await WriteRealJournalAsync();
        using var readOnly = new ReadOnlyPath(_folder.Path);

        await RefusesAsync("cannot be opened for writing", "make the file and its folder writable");
    }

    [Fact]
    public async Task Should_refuse_another_programs_database_in_one_line_and_leave_it_as_it_was()
    {
        using (var connection = new SqliteConnection($"Data Source={Journal};Pooling=False"))
        {
            connection.Open();
            using var create = connection.CreateCommand();
            create.CommandText = "CREATE TABLE journal(id INTEGER PRIMARY KEY, x TEXT); INSERT INTO journal(x) VALUES ('theirs');";
            create.ExecuteNonQuery();
        }

        await RefusesAsync("its journal table is not a journal's", "move it away");
    }

    [Fact]
    public async Task Should_refuse_a_journal_path_that_is_a_folder_in_one_line_instead_of_crashing()
    {
        Directory.CreateDirectory(Journal); // like an unreadable file for a user without root: the claim on it is refused

        using var host = HostProcess.Start([], Settings(), _folder.Path);

        Assert.Equal(1, await host.WaitForExitAsync(RunLimit, Ct));
        AssertOneFatalLine(host, "is a folder, not a journal file", "point Pipeline:Persistence:ConnectionString at a file elsewhere");
        Assert.Empty(Directory.EnumerateFileSystemEntries(Journal)); // left as it was
    }

    [Fact]
    public async Task Should_refuse_a_node_name_file_it_cannot_use_naming_the_key_instead_of_crashing()
    {
        Directory.CreateDirectory(Path.Combine(_folder.Path, "actor-pipeline.node")); // unusable even for root

        using var host = HostProcess.Start([], Settings(), _folder.Path);

        Assert.Equal(1, await host.WaitForExitAsync(RunLimit, Ct));
        var line = Assert.Single(host.Stderr);
        Assert.StartsWith("Invalid configuration: Cluster:NodeName: not set, and this node's name cannot be read from or kept in", line, StringComparison.Ordinal);
        Assert.EndsWith("or set Cluster:NodeName", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_say_what_to_do_about_an_event_it_cannot_read_in_one_line_without_a_stack_trace()
    {
        await WriteRealJournalAsync();
        var garbled = Garble(Journal); // a sound SQLite file whose first event is no longer the queue's data
        var before = Hash(Journal);

        using var host = HostProcess.Start([], Settings(), _folder.Path);

        Assert.Equal(1, await host.WaitForExitAsync(RunLimit, Ct));
        var fatal = Assert.Single(host.JsonEvents, e => e.TryGetProperty("@l", out var level) && level.GetString() == "Fatal");
        var reason = fatal.GetProperty("Reason").GetString()!;
        Assert.Contains($"manifest '{garbled}'", reason, StringComparison.Ordinal);
        Assert.Contains("Nothing in the journal was changed", reason, StringComparison.Ordinal);
        Assert.Contains("move the journal away", reason, StringComparison.Ordinal);
        Assert.False(fatal.TryGetProperty("@x", out _)); // the reason is the whole story: no exception after it
        Assert.DoesNotContain("   at ", string.Join('\n', host.Stdout.Concat(host.Stderr)), StringComparison.Ordinal);
        Assert.Equal(before, Hash(Journal));
    }

    [Fact]
    public async Task Should_refuse_a_journal_another_process_holds_a_write_lock_on_in_one_line()
    {
        await WriteRealJournalAsync();
        await using var other = new SqliteConnection($"Data Source={Journal};Pooling=False");
        await other.OpenAsync(Ct);
        await using (var begin = other.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE;";
            await begin.ExecuteNonQueryAsync(Ct);
        }

        await RefusesAsync("is locked by another process", "stop that process");
    }

    [Fact]
    public async Task Should_refuse_to_start_a_second_node_on_the_journal_of_a_running_one_in_the_same_folder()
    {
        using var first = HostProcess.Start([], Settings(("Demo__Producers__MinItems", "100000"), ("Demo__Producers__MaxItems", "100000"), ("Demo__Producers__MinDelay", "00:00:00.005")), _folder.Path);
        await first.WaitForOutputAsync(lines => lines.Any(l => l.Contains("added <", StringComparison.Ordinal)), RunLimit, Ct);

        using var second = HostProcess.Start([], Settings(), _folder.Path);

        Assert.Equal(1, await second.WaitForExitAsync(RunLimit, Ct));
        AssertOneFatalLine(second, "is in use by another node", "start this one in another folder");
        Assert.False(first.HasExited); // the node that had it keeps running
        first.Terminate();
        await first.WaitForExitAsync(RunLimit, Ct);
    }

    [Fact]
    public void Should_name_a_full_disk_when_sqlite_reports_one()
    {
        // A full disk cannot be made without privileges here; SQLITE_FULL (13) and its answer are checked directly.
        var problem = SqliteJournalCheck.Describe("/data/actor-pipeline.db", new SqliteException("SQLite Error 13: 'database or disk is full'.", 13));

        Assert.Equal("/data/actor-pipeline.db", problem.File);
        Assert.Contains("the disk holding it is full", problem.Problem, StringComparison.Ordinal);
        Assert.Contains("free space on that disk", problem.Remedy, StringComparison.Ordinal);
    }

    /// <summary>Starts the Host in the folder, expects the refusal, and checks the file did not change.</summary>
    private async Task RefusesAsync(string problem, string remedy)
    {
        var before = Hash(Journal);
        using var host = HostProcess.Start([], Settings(), _folder.Path);

        Assert.Equal(1, await host.WaitForExitAsync(RunLimit, Ct));

        AssertOneFatalLine(host, problem, remedy);
        Assert.Equal(before, Hash(Journal));
    }

    private void AssertOneFatalLine(HostProcess host, string problem, string remedy)
    {
        var output = string.Join('\n', host.Stdout.Concat(host.Stderr));
        var events = host.JsonEvents;
        var fatal = Assert.Single(events, e => e.TryGetProperty("@l", out var level) && level.GetString() is "Fatal" or "Error");
        Assert.Equal(Journal, fatal.GetProperty("File").GetString());
        Assert.Contains(problem, fatal.GetProperty("Problem").GetString(), StringComparison.Ordinal);
        Assert.Contains(remedy, fatal.GetProperty("Remedy").GetString(), StringComparison.Ordinal);
        Assert.Equal(fatal.GetRawText(), events[^1].GetRawText()); // the last word, nothing after it
        Assert.Empty(host.Stderr);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal); // no stack trace
    }

    /// <summary>A journal as a finished run leaves it (tables, rows, write-ahead log mode).</summary>
    private async Task WriteRealJournalAsync()
    {
        using var host = HostProcess.Start([], Settings(), _folder.Path);
        Assert.Equal(0, await host.WaitForExitAsync(RunLimit, Ct));
        Assert.True(File.Exists(Journal));
    }

    private static Dictionary<string, string> Settings(params (string Key, string Value)[] overrides)
    {
        var settings = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Container", // compact JSON, to read the events back
            ["Pipeline__Producers__Count"] = "2",
            ["Demo__Producers__MaxItems"] = "5",
            ["Demo__Producers__MaxDelay"] = "00:00:00.005",
            ["Demo__Consumers__MaxDelay"] = "00:00:00.005",
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>Overwrites the first event's bytes with bytes no queue event has; returns that event's manifest.</summary>
    private static string Garble(string journal)
    {
        using var connection = new SqliteConnection($"Data Source={journal};Pooling=False");
        connection.Open();
        using var find = connection.CreateCommand();
        find.CommandText = "SELECT ordering, manifest FROM journal ORDER BY ordering LIMIT 1";
        using var reader = find.ExecuteReader();
        Assert.True(reader.Read());
        var (ordering, manifest) = (reader.GetInt64(0), reader.GetString(1));
        reader.Close();
        using var garble = connection.CreateCommand();
        garble.CommandText = "UPDATE journal SET message = x'FFFFFFFFFFFFFFFF' WHERE ordering = $ordering";
        garble.Parameters.AddWithValue("$ordering", ordering);
        Assert.Equal(1, garble.ExecuteNonQuery());
        return manifest;
    }

    private static string Hash(string file) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));
}
