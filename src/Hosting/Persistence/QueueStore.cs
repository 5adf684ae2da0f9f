using Akka.Hosting;
using Akka.Persistence.Hosting;
using Akka.Persistence.Sql.Hosting;
using LinqToDB;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ActorPipeline.Hosting.Persistence;

/// <summary>Where the coordinator journals: in memory, SQLite or PostgreSQL, from <see cref="PersistenceOptions"/>.</summary>
internal static class QueueStore
{
    /// <summary>The coordinator's journal and snapshot store, created on first use.</summary>
    /// <param name="akka">The actor system's configuration.</param>
    /// <param name="persistence">Which store.</param>
    /// <param name="journalsNothing">
    /// An ephemeral queue journals nothing and recovers nothing, and a node without the coordinator has no
    /// queue to journal, so either gets the in-memory store whatever the provider: no file is made or
    /// opened, and no database driver is loaded at start-up.
    /// </param>
    public static AkkaConfigurationBuilder AddQueueStore(this AkkaConfigurationBuilder akka, PersistenceOptions persistence, bool journalsNothing = false)
    {
        var connection = persistence.EffectiveConnectionString;
        switch (journalsNothing ? PersistenceProvider.InMemory : persistence.Provider)
        {
            case PersistenceProvider.InMemory:
                return akka.WithInMemoryJournal().WithInMemorySnapshotStore();
            case PersistenceProvider.PostgreSql:
                return akka.WithSqlPersistence(connectionString: WithoutGssProbe(connection), providerName: ProviderName.PostgreSQL15, autoInitialize: true);
            default:
                // SQLite creates the file but not its folder.
                var file = SqliteJournalFile.PathOf(connection);
                if (file is not null && Path.GetDirectoryName(file) is { } folder)
                {
                    Directory.CreateDirectory(folder);
                }

                // A file gets its tables now (PrepareFile); an in-memory database lives only as long as a connection
                // to it, so the journal makes its own.
                var onDisk = file is not null;
                PrepareFile(connection);
                var waiting = WaitingWhenBusy(connection);
                return akka.WithSqlPersistence(
                    journal =>
                    {
                        journal.ConnectionString = connection;
                        journal.ProviderName = ProviderName.SQLiteMS;
                        journal.AutoInitialize = !onDisk;
                        journal.DataOptions = waiting;
                    },
                    snapshots =>
                    {
                        snapshots.ConnectionString = connection;
                        snapshots.ProviderName = ProviderName.SQLiteMS;
                        snapshots.AutoInitialize = !onDisk;
                        snapshots.DataOptions = waiting;
                    });
        }
    }

    /// <summary>
    /// Npgsql asks for GSS encryption first unless told otherwise, and on a host without the Kerberos
    /// library (slim container images) .NET prints "Cannot load library libgssapi_krb5.so.2" to stderr on
    /// every connection. The journal uses password or certificate authentication, so the probe is off
    /// unless the connection string asks for it.
    /// </summary>
    public static string WithoutGssProbe(string connectionString)
    {
        // Npgsql's own builder answers ContainsKey for every keyword it knows; the plain one says what the string holds.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (given.ContainsKey("Gss Encryption Mode") || given.ContainsKey("GssEncryptionMode") || given.ContainsKey("GssEncMode"))
        {
            return connectionString;
        }

        return new NpgsqlConnectionStringBuilder(connectionString) { GssEncryptionMode = GssEncryptionMode.Disable }.ConnectionString;
    }

    /// <summary>
    /// The journal's and the snapshot store's connections, each told to wait inside SQLite while another holds
    /// the write lock. SQLite allows one writer, and a snapshot, or the clean-up after it, writes while the
    /// journal writes; without a busy timeout Microsoft.Data.Sqlite answers the collision by sleeping 150 ms and
    /// retrying, and with one write in flight the whole queue waits that long (about 1.5 s of a 1M-item run's
    /// profile). SQLite's own wait ends as soon as the lock is free; it gives up after the connection's command
    /// timeout, as the retrying did. Durability is untouched: only how a writer waits for its turn changes.
    /// </summary>
    private static DataOptions WaitingWhenBusy(string connectionString) =>
        new DataOptions()
            .UseConnectionString(ProviderName.SQLiteMS, connectionString)
            .UseAfterConnectionOpened(
                WaitWhenBusy,
                (connection, _) =>
                {
                    WaitWhenBusy(connection);
                    return Task.CompletedTask;
                });

    private static void WaitWhenBusy(System.Data.Common.DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle } sqlite)
        {
            SQLitePCL.raw.sqlite3_busy_timeout(handle, (int)Math.Min(int.MaxValue, sqlite.DefaultTimeout * 1000L));
        }
    }

    /// <summary>
    /// The file as the journal needs it, before the actor system opens it. SQLite's write-ahead log, which the
    /// file keeps once set: a commit appends to one file and syncs it once (synchronous stays FULL, so a stored
    /// event survives a power cut), where the default rollback journal syncs several files per commit; and
    /// readers do not block the writer. Then the tables, if missing (<see cref="SqliteJournalSchema"/>).
    /// </summary>
    private static void PrepareFile(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        WaitWhenBusy(connection);
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode=WAL;";
            pragma.ExecuteNonQuery();
        }

        SqliteJournalSchema.EnsureCreated(connection);
    }

}
