using ActorPipeline.Coordinator;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorPipeline.Hosting.Operations;

/// <summary>
/// Watches the free space of the disk holding a coordinator node's SQLite journal while it runs. A disk
/// that fills mid-run fails the coordinator's writes with SQLite's terse "database or disk is full" deep
/// in a stack trace; this says it in one line naming the file and what to do, once when it happens and
/// once when there is room again. (What the coordinator does about the failed write is its own affair.)
/// </summary>
internal sealed class JournalDiskWatch(
    IOptions<PipelineOptions> pipeline, IOptions<NodeOptions> node, TimeProvider time, ILogger<JournalDiskWatch> log) : BackgroundService
{
    /// <summary>How often the disk is asked: a full disk is reported within this.</summary>
    internal static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private bool _full;

    /// <summary>Asks the disk once and reports a change; what the timer calls, and what the specs drive.</summary>
    /// <param name="file">The journal.</param>
    /// <param name="freeBytes">The bytes now free on its disk, or null if unknown.</param>
    internal void Check(string file, long? freeBytes)
    {
        var full = freeBytes is { } free && free < SqliteJournalCheck.LeastFreeBytes;
        if (full && !_full)
        {
            var problem = SqliteJournalCheck.DiskFull(file, $"{freeBytes / 1024} KiB free");
            HostLog.JournalDiskFull(log, problem.File, problem.Problem, problem.Remedy);
        }
        else if (!full && _full)
        {
            HostLog.JournalDiskHasRoom(log, file, freeBytes / 1024 ?? 0);
        }

        _full = full;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = pipeline.Value;
        if (!node.Value.Has(ClusterRoles.Coordinator) || options.Queue.Ephemeral || SqliteJournalFile.PathOf(options.Persistence) is not { } file)
        {
            return; // no journal file on this node
        }

        var folder = Path.GetDirectoryName(file) ?? Directory.GetCurrentDirectory();
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Check(file, SqliteJournalCheck.FreeBytes(folder));
            }
        }
        catch (OperationCanceledException)
        {
            // the host is stopping
        }
    }
}
