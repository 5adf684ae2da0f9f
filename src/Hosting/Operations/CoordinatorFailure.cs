using ActorPipeline.Coordinator;
using Akka.Actor;

namespace ActorPipeline.Hosting.Operations;

/// <summary>
/// Completes when this node's coordinator could not recover the queue (<see cref="CoordinatorRecoveryFailed"/>);
/// the runner stops on it. Also holds an ongoing journal outage, which the coordinator survives by restarting.
/// </summary>
internal sealed class CoordinatorFailure
{
    private readonly TaskCompletionSource<CoordinatorRecoveryFailed> _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private volatile CoordinatorJournalUnavailable? _journalOutage;

    public Task<CoordinatorRecoveryFailed> Failed => _failed.Task;

    /// <summary>The ongoing outage of this node's coordinator's journal, if there is one: readiness and the page say so.</summary>
    public CoordinatorJournalUnavailable? JournalOutage => _journalOutage;

    /// <summary>
    /// Starts the listener that reports here and subscribes it at once: subscribing in its PreStart
    /// would leave a moment after this returns in which a coordinator created next could fail unheard.
    /// </summary>
    public IActorRef Listen(ActorSystem system)
    {
        var listener = system.ActorOf(CoordinatorFailureListener.Props(this), "coordinator-failure");
        system.EventStream.Subscribe(listener, typeof(CoordinatorRecoveryFailed));
        system.EventStream.Subscribe(listener, typeof(CoordinatorJournalUnavailable));
        system.EventStream.Subscribe(listener, typeof(CoordinatorJournalAvailable));
        return listener;
    }

    internal void Report(CoordinatorRecoveryFailed failure) => _failed.TrySetResult(failure);

    internal void Report(CoordinatorJournalUnavailable outage) => _journalOutage = outage;

    internal void Report(CoordinatorJournalAvailable _) => _journalOutage = null;
}
