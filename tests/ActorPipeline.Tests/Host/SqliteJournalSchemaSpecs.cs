using ActorPipeline.Hosting.Persistence;
using Akka.Hosting;
using Akka.Persistence;
using Akka.Persistence.Sql.Hosting;
using LinqToDB;
using Microsoft.Data.Sqlite;

namespace ActorPipeline.Tests.Host;

/// <summary>
/// The host makes the SQLite journal's tables itself, before the actor system opens the file, and tells
/// Akka.Persistence.Sql not to. Its tables must be the ones Akka.Persistence.Sql makes, or the journal fails at
/// the first write (or, subtly, a journal it made and one we made would differ): the same tables, columns,
/// keys and indexes, word for word as SQLite keeps them. A journal that has its tables is only read.
/// </summary>
public sealed class SqliteJournalSchemaSpecs(ITestOutputHelper output) : Akka.Hosting.TestKit.TestKit(output: output), IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("actorpipeline-schema-");

    private string MadeByAkka => Path.Combine(_folder.FullName, "made-by-akka.db");

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider) =>
        builder.AddHocon("akka.test.single-expect-default = 20s", HoconAddMode.Prepend).WithSqlPersistence(
            connectionString: ConnectionString(MadeByAkka),
            providerName: ProviderName.SQLiteMS,
            autoInitialize: true);

    [Fact]
    public async Task Should_make_on_a_fresh_file_the_tables_and_indexes_Akka_Persistence_Sql_makes_itself()
    {
        // Akka.Persistence.Sql's own auto-initialize: each store makes its tables before it answers its first request.
        var persistence = Persistence.Instance.Apply(Sys);
        persistence.JournalFor(null).Tell(new ReplayMessages(1, long.MaxValue, long.MaxValue, "schema-probe", TestActor), TestActor);
        await ExpectMsgAsync<RecoverySuccess>(cancellationToken: Ct);
        persistence.SnapshotStoreFor(null).Tell(new LoadSnapshot("schema-probe", SnapshotSelectionCriteria.Latest, long.MaxValue), TestActor);
        await ExpectMsgAsync<LoadSnapshotResult>(cancellationToken: Ct);
        var ours = Path.Combine(_folder.FullName, "made-by-us.db");

        using (var connection = Open(ours))
        {
            SqliteJournalSchema.EnsureCreated(connection);
        }

        var expected = Schema(MadeByAkka);
        Assert.Contains(expected, entry => entry.StartsWith("table journal ", StringComparison.Ordinal)); // what makes the comparison mean something
        Assert.Contains(expected, entry => entry.StartsWith("table snapshot ", StringComparison.Ordinal));
        Assert.Equal(expected, Schema(ours));
    }

    [Fact]
    public void Should_leave_a_journal_that_has_its_tables_byte_for_byte_as_it_was()
    {
        var journal = Path.Combine(_folder.FullName, "actor-pipeline.db");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Golden", "journal-before-protobuf.db"), journal);
        var before = File.ReadAllBytes(journal);

        using (var connection = Open(journal))
        {
            SqliteJournalSchema.EnsureCreated(connection);
        }

        Assert.Equal(before, File.ReadAllBytes(journal));
    }

    private static string ConnectionString(string file) =>
        new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString();

    private static SqliteConnection Open(string file)
    {
        var connection = new SqliteConnection(ConnectionString(file));
        connection.Open();
        return connection;
    }

    /// <summary>Every table and index with the statement SQLite keeps for it, in name order.</summary>
    private static List<string> Schema(string file)
    {
        using var connection = Open(file);
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name";
        using var reader = query.ExecuteReader();
        var entries = new List<string>();
        while (reader.Read())
        {
            entries.Add($"{reader.GetString(0)} {reader.GetString(1)} on {reader.GetString(2)}: {(reader.IsDBNull(3) ? "(implicit)" : reader.GetString(3))}");
        }

        return entries;
    }

    // The TestKit's lifetime methods are not virtual: the interface is implemented again around them.
    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await DisposeAsync();
        SqliteConnection.ClearAllPools(); // the journal's pooled connections would keep the file open
        _folder.Delete(recursive: true);
    }
}
