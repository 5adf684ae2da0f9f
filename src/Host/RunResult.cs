namespace ActorPipeline.Host;

/// <summary>
/// Where the runner leaves its outcome for Program to turn into the exit code. Kept off
/// Environment.ExitCode so that tests hosting the pipeline in-process do not change their own exit code.
/// </summary>
public sealed class RunResult
{
    private readonly TaskCompletionSource<RunSummary> _summary = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the run has ended and been summarised; faults if the run failed.</summary>
    public Task<RunSummary> Summary => _summary.Task;

    /// <summary>The exit code for the process: the summary's, or <see cref="ExitCodes.Failed"/> if there is none.</summary>
    public int ExitCode => _summary.Task.IsCompletedSuccessfully ? _summary.Task.Result.ExitCode : ExitCodes.Failed;

    internal void Complete(RunSummary summary) => _summary.TrySetResult(summary);

    internal void Fail(Exception error) => _summary.TrySetException(error);
}
