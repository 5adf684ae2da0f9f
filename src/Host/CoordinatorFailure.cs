using ActorPipeline.Coordinator;

namespace ActorPipeline.Host;

/// <summary>Completes when this node's coordinator could not recover the queue (<see cref="CoordinatorRecoveryFailed"/>); the runner stops on it.</summary>
public sealed class CoordinatorFailure
{
    private readonly TaskCompletionSource<CoordinatorRecoveryFailed> _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<CoordinatorRecoveryFailed> Failed => _failed.Task;

    internal void Report(CoordinatorRecoveryFailed failure) => _failed.TrySetResult(failure);
}
