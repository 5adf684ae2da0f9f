using ActorPipeline.Coordinator;
using Akka.Actor;

namespace ActorPipeline.Host;

/// <summary>Completes when this node's coordinator could not recover the queue (<see cref="CoordinatorRecoveryFailed"/>); the runner stops on it.</summary>
public sealed class CoordinatorFailure
{
    private readonly TaskCompletionSource<CoordinatorRecoveryFailed> _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<CoordinatorRecoveryFailed> Failed => _failed.Task;

    /// <summary>
    /// Starts the listener that reports here and subscribes it at once: subscribing in its PreStart
    /// would leave a moment after this returns in which a coordinator created next could fail unheard.
    /// </summary>
    public IActorRef Listen(ActorSystem system)
    {
        var listener = system.ActorOf(CoordinatorFailureListener.Props(this), "coordinator-failure");
        system.EventStream.Subscribe(listener, typeof(CoordinatorRecoveryFailed));
        return listener;
    }

    internal void Report(CoordinatorRecoveryFailed failure) => _failed.TrySetResult(failure);
}
