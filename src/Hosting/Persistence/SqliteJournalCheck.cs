using Microsoft.Data.Sqlite;

namespace ActorPipeline.Hosting.Persistence;

/// <summary>
/// Whether a SQLite journal can be used before the actor system opens it: Akka.Persistence.Sql meets a
/// damaged, read-only or locked file only at the coordinator's first read or write, and then as a stack
/// trace, an abort or a run that hangs. The check reads and locks, and never writes: a file that exists
/// is left byte for byte as it was, whatever it finds.
/// </summary>
internal static class SqliteJournalCheck
{
    // SQLite's primary result codes (https://sqlite.org/rescode.html); extended codes carry them in the low byte.
    private const int Busy = 5;
    private const int Locked = 6;
    private const int ReadOnly = 8;
    private const int IoError = 10;
    private const int Corrupt = 11;
    private const int Full = 13;
    private const int CantOpen = 14;
    private const int NotADatabase = 26;

    /// <summary>Less free space than this and the next commits fail: a WAL commit needs a frame per page it changes.</summary>
    internal const long LeastFreeBytes = 1024 * 1024;

    private const string Setting = "Pipeline:Persistence:ConnectionString";

    private static readonly string MoveAway =
        $"move it away to start afresh (what it held is then lost) or put back a copy from a backup; {Setting} names the file";

    /// <summary>The problem with the journal <paramref name="connectionString"/> names, or null if it can be used.</summary>
    /// <param name="connectionString">The SQLite connection string the journal is opened with.</param>
    /// <param name="lockWait">How long another process's write lock may hold before the file counts as locked.</param>
    /// <param name="probeWriteLock">
    /// Whether another process holding the write lock is a fault. Not for a node that may share the file
    /// with its cluster's active coordinator (it has seeds), whose writes hold the lock often, and rightly.
    /// </param>
    public static JournalProblem? Check(string connectionString, TimeSpan lockWait, bool probeWriteLock = true)
    {
        if (SqliteJournalFile.PathOf(connectionString) is not { } file)
        {
            return null; // an in-memory database: nothing on disk to check
        }

        if (Directory.Exists(file))
        {
            return new JournalProblem(file, "is a folder, not a journal file", $"move that folder away, or point {Setting} at a file elsewhere");
        }

        var folder = Path.GetDirectoryName(file) ?? Directory.GetCurrentDirectory();
        var exists = File.Exists(file);
        if (!exists)
        {
            try
            {
                // SQLite creates the file but not its folder.
                Directory.CreateDirectory(folder);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return new JournalProblem(file, $"cannot be created: its folder cannot be made ({e.Message})", $"create {folder} writable for this user, or point {Setting} at a file elsewhere");
            }
        }

        // A full disk fails the first commit, or SQLite's -shm file already, with no word about space: ask the disk first.
        if (FreeBytes(folder) is { } free && free < LeastFreeBytes)
        {
            return DiskFull(file, $"{free / 1024} KiB free");
        }

        try
        {
            var probe = new SqliteConnectionStringBuilder(connectionString)
            {
                // An existing file is opened as it is, never created anew; a missing one is created, as the run would.
                Mode = exists ? SqliteOpenMode.ReadWrite : SqliteOpenMode.ReadWriteCreate,
                Pooling = false, // the handle closes with the connection: nothing of the check outlives it
                DefaultTimeout = Math.Max(1, (int)Math.Ceiling(lockWait.TotalSeconds)),
            };
            using var connection = new SqliteConnection(probe.ConnectionString);
            connection.Open();

            // A file the OS will not let this process write is opened read-only without a word; say so now, not at the first write.
            if (SQLitePCL.raw.sqlite3_db_readonly(connection.Handle, "main") == 1)
            {
                return ReadOnlyFile(file);
            }

            var verdict = Scalar(connection, "PRAGMA quick_check(1);");
            if (!string.Equals(verdict, "ok", StringComparison.Ordinal))
            {
                return Damaged(file, verdict);
            }

            // Another program's database with a table of the same name would be taken for a journal that keeps
            // failing: retried as an outage for minutes, and written to (a snapshot table added) on the way.
            if (ForeignTable(connection) is { } table)
            {
                return new JournalProblem(file, $"is a SQLite database, but its {table} table is not a journal's (another program's file?)", MoveAway);
            }

            // Takes the write lock and gives it back at once, writing nothing: another process holding it answers BUSY.
            if (probeWriteLock)
            {
                Execute(connection, "BEGIN IMMEDIATE;");
                Execute(connection, "ROLLBACK;");
            }
        }
        catch (SqliteException e)
        {
            return Describe(file, e, exists);
        }

        return null;
    }

    /// <summary>The journal or snapshot table, if one is there without the columns every journal of ours has.</summary>
    private static string? ForeignTable(SqliteConnection connection)
    {
        foreach (var table in (string[])["journal", "snapshot"])
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT name FROM pragma_table_info($table);";
            command.Parameters.AddWithValue("$table", table);
            var columns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    columns.Add(reader.GetString(0));
                }
            }

            if (columns.Count > 0 && !(columns.Contains("persistence_id") && columns.Contains("sequence_number")))
            {
                return table;
            }
        }

        return null;
    }

    /// <summary>The problem a SQLite error on <paramref name="file"/> means, in the operator's words.</summary>
    /// <param name="file">The journal.</param>
    /// <param name="error">What SQLite answered.</param>
    /// <param name="exists">Whether the file was there before SQLite opened it.</param>
    public static JournalProblem Describe(string file, SqliteException error, bool exists = true)
    {
        var folder = Path.GetDirectoryName(file);
        return (error.SqliteErrorCode & 0xFF) switch
        {
            NotADatabase => new JournalProblem(file, "is not a SQLite database (damaged, or another kind of file)", MoveAway),
            Corrupt => Damaged(file, SQLitePCL.raw.sqlite3_errstr(error.SqliteExtendedErrorCode).utf8_to_string()),
            ReadOnly => ReadOnlyFile(file),
            Full => DiskFull(file, "SQLite reports the disk full"),
            Busy or Locked => new JournalProblem(
                file,
                "is locked by another process (another node, or a tool holding a write transaction on it)",
                $"stop that process, or give this node a journal of its own with {Setting}"),
            CantOpen when exists => new JournalProblem(
                file,
                $"cannot be opened for writing (SQLite also needs to create its -wal and -shm files in {folder})",
                $"make the file and its folder writable for this user, or point {Setting} at a file elsewhere"),
            CantOpen => new JournalProblem(
                file,
                $"cannot be created in {folder}",
                $"make that folder writable for this user, or point {Setting} at a file elsewhere"),
            IoError => new JournalProblem(file, $"could not be read or written (SQLite: {SQLitePCL.raw.sqlite3_errstr(error.SqliteExtendedErrorCode).utf8_to_string()})", "check the disk it is on"),
            _ => new JournalProblem(file, $"cannot be used ({error.Message})", $"check the file, or point {Setting} at another"),
        };
    }

    private static JournalProblem Damaged(string file, string detail) =>
        new(file, $"is damaged, truncated or corrupt (SQLite: {detail})", MoveAway);

    private static JournalProblem ReadOnlyFile(string file) =>
        new(file, "is read-only for this process (the file, or its folder, where SQLite writes its -wal and -shm files)", $"make both writable for this user, or point {Setting} at a file elsewhere");

    /// <summary>The problem of a journal on a disk with <paramref name="detail"/> (how little is free) left.</summary>
    internal static JournalProblem DiskFull(string file, string detail) =>
        new(file, $"cannot be written: the disk holding it is full ({detail})", $"free space on that disk, or point {Setting} at a file on another");

    /// <summary>The bytes free to this user on the disk holding <paramref name="folder"/>, or null if that cannot be told.</summary>
    internal static long? FreeBytes(string folder)
    {
        try
        {
            return new DriveInfo(folder).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null; // unknown: the first write will tell
        }
    }

    private static string Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
