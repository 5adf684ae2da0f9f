namespace ActorPipeline.Tests.Model;

/// <summary>A client of the coordinator state in the model: equal only to itself, as an actor reference is, so a restarted client is a new one.</summary>
internal sealed class ModelClient(string name)
{
    public override string ToString() => name;
}
