using System.Diagnostics;
using ActorPipeline.Coordinator;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorPipeline.Hosting.Running;

/// <summary>
/// Logs the seed's last line, <c>Program completed in X seconds</c>, as the very last event of the
/// process: it is the first hosted service registered, so the host stops it last, after the runner
/// has drained and the actor system has left the cluster and shut down. Nothing is logged after it. On a
/// node the cluster ended (downed, refused) the last line is <see cref="ClusterExit"/>'s cause instead.
/// </summary>
internal sealed class CompletionReporter(RunResult result, ClusterExit clusterExit, ILogger<CompletionReporter> log) : IHostedService
{
    private long _started;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _started = Stopwatch.GetTimestamp();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        // A run that failed has said why already; the seed's line is for a run that ended.
        if (result.Summary.IsCompletedSuccessfully)
        {
            var elapsed = FixedSeconds.From(Stopwatch.GetElapsedTime(_started));
            if (result.Summary.Result.UnsettledJobs is { } unsettled and not 0)
            {
                HostLog.StoppedWithJobsUnsettled(log, elapsed, unsettled < 0 ? "jobs may be unsettled (the coordinator did not say)" : $"{unsettled} jobs are not settled");
            }
            else if (result.Summary.Result.RunEnded)
            {
                HostLog.Completed(log, elapsed);
            }
            else
            {
                HostLog.StoppedUnfinished(log, elapsed); // a stop is not a finish, in the last line too
            }
        }
        else if (result.WasStoppedBeforeRun)
        {
            if (!result.Summary.IsCompleted)
            {
                HostLog.StoppedBeforeRun(log); // stopped during start-up: the runner never began, so it said nothing
            }
        }
        else
        {
            clusterExit.Report(); // the cluster ended the node: its cause is the last word
        }

        return Task.CompletedTask;
    }
}
