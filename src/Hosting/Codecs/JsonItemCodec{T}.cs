using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ActorPipeline;

/// <summary>Items as UTF-8 JSON (System.Text.Json): the default codec for any item type that is not raw bytes or a Protocol Buffers message.</summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed class JsonItemCodec<T> : IItemCodec<T>
{
    private readonly JsonTypeInfo<T> _type;

    /// <summary>With <see cref="JsonSerializerOptions.Web"/>'s settings (camel case, case-insensitive reading); reflection-based.</summary>
    public JsonItemCodec()
        : this(JsonSerializerOptions.Web)
    {
    }

    /// <summary>With the given serializer options (copied, so later changes to them do not apply); reflection-based unless they carry a source-generated resolver.</summary>
    /// <param name="options">How to (de)serialize.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public JsonItemCodec(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var resolved = new JsonSerializerOptions(options);
        resolved.MakeReadOnly(populateMissingResolver: true);
        _type = (JsonTypeInfo<T>)resolved.GetTypeInfo(typeof(T));
    }

    /// <summary>With source-generated metadata (a <c>JsonSerializerContext</c>'s property for <typeparamref name="T"/>): no reflection, trimming-safe.</summary>
    /// <param name="type">The type's metadata.</param>
    public JsonItemCodec(JsonTypeInfo<T> type)
    {
        ArgumentNullException.ThrowIfNull(type);
        _type = type;
    }

    /// <inheritdoc />
    public ReadOnlyMemory<byte> Encode(T item) => JsonSerializer.SerializeToUtf8Bytes(item, _type);

    /// <inheritdoc />
    public T Decode(ReadOnlyMemory<byte> payload) =>
        JsonSerializer.Deserialize(payload.Span, _type) ?? throw new JsonException($"The payload is JSON null, not a {typeof(T).Name}.");
}
