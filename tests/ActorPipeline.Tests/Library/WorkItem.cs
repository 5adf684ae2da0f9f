namespace ActorPipeline.Tests.Library;

/// <summary>The whole-pipeline specs' item: which producer made it and its number there, so every item is told apart.</summary>
internal sealed record WorkItem(int Producer, int Number)
{
    public override string ToString() => $"{Producer}.{Number}";
}
