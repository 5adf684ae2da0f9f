namespace ActorPipeline.Producers;

/// <summary>The actor registry's key for the node's producer pool: a marker, not the actor's class.</summary>
internal sealed class ProducersKey
{
    private ProducersKey()
    {
    }
}
