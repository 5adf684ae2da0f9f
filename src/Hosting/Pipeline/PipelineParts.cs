namespace ActorPipeline.Hosting.Pipeline;

/// <summary>
/// The typed parts of a pipeline, checked by <see cref="ActorPipelineBuilder"/>, seen by the actors untyped:
/// a source that encodes, a handler that decodes, and how logs show an item.
/// </summary>
internal abstract class PipelineParts
{
    public abstract Type ItemType { get; }

    public abstract ItemFormatter Formatter { get; }

    public abstract IPayloadSource CreateSource(IServiceProvider services);

    public abstract IPayloadHandler CreateHandler(IServiceProvider services);
}
