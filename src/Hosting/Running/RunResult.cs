namespace ActorPipeline.Hosting.Running;

/// <summary>
/// Where the runner leaves its outcome for Program to turn into the exit code. Kept off
/// Environment.ExitCode so that tests hosting the pipeline in-process do not change their own exit code.
/// </summary>
internal sealed class RunResult
{
    private readonly TaskCompletionSource<RunSummary> _summary = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the run has ended and been summarised; faults if the run failed.</summary>
    public Task<RunSummary> Summary => _summary.Task;

    private bool _stoppedBeforeRun;

    /// <summary>
    /// The exit code for the process: the summary's; <see cref="ExitCodes.Failed"/> if the run failed;
    /// <see cref="ExitCodes.Unfinished"/> if the node was stopped before its run began (a stop, not a failure).
    /// </summary>
    public int ExitCode =>
        _summary.Task.IsCompletedSuccessfully ? _summary.Task.Result.ExitCode
        : WasStoppedBeforeRun ? ExitCodes.Unfinished
        : ExitCodes.Failed;

    /// <summary>Whether the node was stopped before its run began: while it entered the cluster, or before the runner started at all.</summary>
    public bool WasStoppedBeforeRun => _stoppedBeforeRun || !_summary.Task.IsCompleted;

    internal void StoppedBeforeRun()
    {
        _stoppedBeforeRun = true;
        _summary.TrySetException(new OperationCanceledException("stopped before the run began"));
    }

    internal void Complete(RunSummary summary) => _summary.TrySetResult(summary);

    internal void Fail(Exception error) => _summary.TrySetException(error);
}
