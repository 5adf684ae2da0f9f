using System.Text.Json;

namespace ActorPipeline.Hosting.Pipeline;

/// <summary>
/// The typed parts of a pipeline, checked by <see cref="ActorPipelineBuilder"/>, seen by the actors untyped:
/// a source that encodes, a handler that decodes, and how logs show an item.
/// </summary>
internal abstract class PipelineParts
{
    public abstract Type ItemType { get; }

    public abstract ItemFormatter Formatter { get; }

    /// <summary>An item given as JSON (the jobs API's), read as the item type and encoded with the pipeline's codec; throws <see cref="JsonException"/> when it is no such item.</summary>
    public abstract ReadOnlyMemory<byte> EncodeJson(JsonElement item, JsonSerializerOptions json);

    public abstract IPayloadSource CreateSource(IServiceProvider services);

    public abstract IPayloadHandler CreateHandler(IServiceProvider services);
}
