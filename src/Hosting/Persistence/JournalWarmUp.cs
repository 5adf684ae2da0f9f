using ActorPipeline.Coordinator.Actor;
using Akka.Actor;
using Akka.Persistence;

namespace ActorPipeline.Hosting.Persistence;

/// <summary>
/// Opens the coordinator's journal and snapshot store as the actor system starts, while remoting and the
/// cluster come up, instead of when the coordinator first asks for its history once the node is a member:
/// the first read makes the tables and compiles the store's queries, most of a small run's start-up.
/// </summary>
internal static class JournalWarmUp
{
    /// <summary>Starts both plugins and asks each the coordinator's first question; the answers go nowhere.</summary>
    public static void Start(ActorSystem system)
    {
        var persistence = Akka.Persistence.Persistence.Instance.Apply(system);
        persistence.SnapshotStoreFor(null).Tell(new LoadSnapshot(CoordinatorActor.QueuePersistenceId, SnapshotSelectionCriteria.Latest, long.MaxValue), ActorRefs.Nobody);
        persistence.JournalFor(null).Tell(new ReplayMessages(0, 0, 0, CoordinatorActor.QueuePersistenceId, ActorRefs.Nobody), ActorRefs.Nobody);
    }
}
