using Microsoft.Data.Sqlite;

namespace ActorPipeline.Hosting.Persistence;

/// <summary>
/// The SQLite journal's tables, made with plain SQL before the actor system opens the file. Akka.Persistence.Sql
/// would make them itself (auto-initialize), but it builds each CREATE statement through linq2db's mapping and
/// query machinery on first use: about 0.1 s of CPU on the path from start-up to the first item, spent again on
/// every start even when the tables are there. These are the statements it issues for SQLite with its default
/// table names, tag table and columns, word for word as SQLite keeps them; <c>SqliteJournalSchemaSpecs</c> holds
/// them to a journal that Akka.Persistence.Sql made itself.
/// </summary>
internal static class SqliteJournalSchema
{
    /// <summary>The tables and indexes, in the order Akka.Persistence.Sql creates them.</summary>
    internal static readonly IReadOnlyList<string> Statements =
    [
        "CREATE TABLE IF NOT EXISTS [journal]\n(\n\t[ordering]        INTEGER        NOT NULL PRIMARY KEY AUTOINCREMENT,\n\t[created]         INTEGER        NOT NULL,\n\t[deleted]         Bit            NOT NULL,\n\t[persistence_id]  NVarChar(255)  NOT NULL,\n\t[sequence_number] INTEGER        NOT NULL,\n\t[message]         VarBinary      NOT NULL,\n\t[manifest]        NVarChar(500)      NULL,\n\t[identifier]      INTEGER            NULL,\n\t[writer_uuid]     NVarChar(128)      NULL\n)",
        "CREATE UNIQUE INDEX IF NOT EXISTS journal_uq ON journal (persistence_id, sequence_number)",
        "CREATE INDEX IF NOT EXISTS journal_created_idx ON journal (created)",
        "CREATE INDEX IF NOT EXISTS journal_sequence_number_idx ON journal (sequence_number)",
        "CREATE TABLE IF NOT EXISTS [tags]\n(\n\t[ordering_id]    INTEGER       NOT NULL,\n\t[tag]            NVarChar(64)  NOT NULL,\n\t[sequence_nr]    INTEGER       NOT NULL,\n\t[persistence_id] NVarChar(255) NOT NULL,\n\n\tCONSTRAINT [PK_tags] PRIMARY KEY ([ordering_id], [tag])\n)",
        "CREATE INDEX IF NOT EXISTS tags_persistence_id_sequence_nr_idx ON tags (persistence_id, sequence_nr)",
        "CREATE INDEX IF NOT EXISTS tags_tag_idx ON tags (tag)",
        "CREATE TABLE IF NOT EXISTS [snapshot]\n(\n\t[persistence_id]  NVarChar(255) NOT NULL,\n\t[sequence_number] INTEGER       NOT NULL,\n\t[created]         INTEGER       NOT NULL,\n\t[snapshot]        VarBinary         NULL,\n\t[manifest]        NVarChar(500)     NULL,\n\t[serializer_id]   INTEGER           NULL,\n\n\tCONSTRAINT [PK_snapshot] PRIMARY KEY ([persistence_id], [sequence_number])\n)",
        "CREATE INDEX IF NOT EXISTS snapshot_sequence_number_idx ON snapshot (sequence_number)",
        "CREATE INDEX IF NOT EXISTS snapshot_created_idx ON snapshot (created)",
    ];

    /// <summary>The objects <see cref="Statements"/> make; a file that has them all is left untouched.</summary>
    private static readonly string[] Objects =
    [
        "journal", "journal_uq", "journal_created_idx", "journal_sequence_number_idx",
        "tags", "tags_persistence_id_sequence_nr_idx", "tags_tag_idx",
        "snapshot", "snapshot_sequence_number_idx", "snapshot_created_idx",
    ];

    /// <summary>
    /// Creates what is missing, in one transaction. A journal that has every table and index is only read:
    /// the file stays byte for byte as it was, and no write lock is taken from a coordinator already using it.
    /// </summary>
    /// <param name="connection">An open connection to the journal file.</param>
    public static void EnsureCreated(SqliteConnection connection)
    {
        using (var count = connection.CreateCommand())
        {
            count.CommandText = $"SELECT count(*) FROM sqlite_master WHERE name IN ({string.Join(", ", Objects.Select(name => $"'{name}'"))})";
            if (Convert.ToInt32(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == Objects.Length)
            {
                return;
            }
        }

        using var transaction = connection.BeginTransaction();
        foreach (var statement in Statements)
        {
            using var create = connection.CreateCommand();
            create.Transaction = transaction;
            create.CommandText = statement;
            create.ExecuteNonQuery();
        }

        transaction.Commit();
    }
}
