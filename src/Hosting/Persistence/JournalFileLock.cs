using Microsoft.Data.Sqlite;

namespace ActorPipeline.Hosting.Persistence;

/// <summary>
/// A process-wide claim on a SQLite journal file: flock through <see cref="FileShare.None"/>, which SQLite's own
/// fcntl locks never meet, so this process's journal connections are not hindered while another process that
/// asks for the same claim (a node without seeds, an operator's command) is refused at once.
/// </summary>
internal static class JournalFileLock
{
    /// <summary>The claim, held until disposed; null when the journal is not a file, or the file does not exist yet.</summary>
    /// <exception cref="IOException">Another process holds the claim.</exception>
    public static FileStream? Acquire(string connectionString)
    {
        if (SqliteJournalFile.PathOf(connectionString) is not { } file)
        {
            return null;
        }

        try
        {
            // On Unix FileShare.None is an exclusive advisory lock held until the stream is closed.
            return new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.None);
        }
        catch (Exception missing) when (missing is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }
}
