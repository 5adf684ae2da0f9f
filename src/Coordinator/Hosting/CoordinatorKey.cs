namespace ActorPipeline.Coordinator.Hosting;

/// <summary>
/// The actor registry's key for the coordinator (the singleton's proxy on every node): a marker, so that what
/// the registry hands out does not depend on which actor class implements the coordinator.
/// </summary>
internal sealed class CoordinatorKey
{
    private CoordinatorKey()
    {
    }
}
