using Microsoft.Data.Sqlite;

namespace ActorPipeline.Hosting.Persistence;

/// <summary>Where a SQLite journal lives on disk: the one reading of its connection string's data source.</summary>
internal static class SqliteJournalFile
{
    /// <summary>The journal's full path; null for an in-memory database (<c>:memory:</c>, <c>Mode=Memory</c>), which has no file.</summary>
    public static string? PathOf(string connectionString)
    {
        var given = new SqliteConnectionStringBuilder(connectionString);
        return given.DataSource is not { Length: > 0 } source || source.StartsWith(':') || given.Mode == SqliteOpenMode.Memory
            ? null
            : Path.GetFullPath(source);
    }

    /// <summary>The journal's full path when <paramref name="persistence"/> journals to SQLite at all; null otherwise.</summary>
    public static string? PathOf(PersistenceOptions persistence) =>
        persistence.Provider == PersistenceProvider.Sqlite ? PathOf(persistence.EffectiveConnectionString) : null;
}
