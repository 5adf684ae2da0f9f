using ActorPipeline.Coordinator;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorPipeline.Hosting.Persistence;

/// <summary>
/// Checks this node's SQLite journal before the actor system starts (see <see cref="SqliteJournalCheck"/>) and,
/// on a node that forms a cluster of its own, keeps other processes off it for as long as the node runs.
/// Only a node that hosts the coordinator has a journal: the others never open the file.
/// </summary>
internal sealed class JournalPreflight(IOptions<PipelineOptions> pipeline, IOptions<NodeOptions> node, ILogger<JournalPreflight> log) : IDisposable
{
    // Long enough for another writer's commit to finish, short enough that a held lock is reported at once.
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(2);

    private FileStream? _held;

    /// <summary>Whether the coordinator can use its journal; if not, the reason has been logged as one line.</summary>
    public bool Passes()
    {
        var options = pipeline.Value;
        if (!node.Value.Has(ClusterRoles.Coordinator) || options.Queue.Ephemeral || options.Persistence.Provider != PersistenceProvider.Sqlite)
        {
            return true;
        }

        var connection = options.Persistence.EffectiveConnectionString;
        var ownCluster = node.Value.SeedNodeList.Count == 0;
        // The claim comes first: a running node's steady writes would otherwise meet the write-lock probe and be
        // reported as a locked file, when the one thing to say is that another node is using it. A file that does
        // not exist yet is claimed once the check has made it.
        var problem = (ownCluster ? HoldAgainstOtherNodes(connection) : null)
            ?? SqliteJournalCheck.Check(connection, LockWait, probeWriteLock: ownCluster)
            ?? (ownCluster && _held is null ? HoldAgainstOtherNodes(connection) : null);
        if (problem is null)
        {
            return true;
        }

        HostLog.JournalUnusable(log, problem.File, problem.Problem, problem.Remedy);
        return false;
    }

    public void Dispose() => _held?.Dispose();

    /// <summary>
    /// Coordinator nodes of one cluster may share a file (only the singleton writes), but a node without seeds
    /// is a cluster of its own, so any other process using its journal is a second coordinator writing the
    /// same queue: typically a second embedded node started in the same folder. SQLite takes its write lock
    /// only per transaction, so the file is claimed for the node's life here (<see cref="JournalFileLock"/>).
    /// </summary>
    private JournalProblem? HoldAgainstOtherNodes(string connection)
    {
        try
        {
            _held = JournalFileLock.Acquire(connection);
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null; // unreadable for this user, or a folder: SQLite's own check that follows names it
        }
        catch (IOException)
        {
            return new JournalProblem(
                SqliteJournalFile.PathOf(connection)!,
                "is in use by another node (an ActorPipeline node without seeds is already running on it, e.g. started in the same folder)",
                "stop that node, or start this one in another folder (or give it a journal of its own with Pipeline:Persistence:ConnectionString)");
        }
    }
}
