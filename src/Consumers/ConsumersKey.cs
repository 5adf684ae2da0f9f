namespace ActorPipeline.Consumers;

/// <summary>The actor registry's key for the node's consumer pool: a marker, not the actor's class.</summary>
internal sealed class ConsumersKey
{
    private ConsumersKey()
    {
    }
}
