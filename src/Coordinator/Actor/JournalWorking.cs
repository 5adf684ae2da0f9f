namespace ActorPipeline.Coordinator.Actor;

/// <summary>The coordinator tells its supervisor that its journal stored a write (the first of an incarnation): any outage is over. Local: parent and child.</summary>
internal sealed class JournalWorking
{
    public static readonly JournalWorking Instance = new();

    private JournalWorking()
    {
    }
}
