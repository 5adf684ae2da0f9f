using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace ActorPipeline.Hosting.Pipeline;

/// <summary>The parts of a pipeline whose items are <typeparamref name="T"/>; made by reflection once, at registration.</summary>
// registrations: the application's services, read when the handler is made (they are complete by then), for how the handler is registered.
internal sealed class PipelineParts<T>(
    IItemCodec<T> codec, Func<T, string>? format, Type sourceType, Type handlerType, Type? resultType, Type? sinkType, IEnumerable<ServiceDescriptor>? registrations = null)
    : PipelineParts
{
    public override Type ItemType => typeof(T);

    /// <summary>How items travel: what a job's client encodes its puts with.</summary>
    public IItemCodec<T> Codec => codec;

    // Raw bytes shown as they travel need no decoding: the seed's per-item lines stay as cheap as before.
    public override ItemFormatter Formatter { get; } = format is null && codec is RawBytesCodec
        ? ItemFormatter.Hex
        : new(payload =>
        {
            var item = codec.Decode(payload);
            return format is not null ? format(item)
                : item is byte[] bytes ? Convert.ToHexStringLower(bytes)
                : item?.ToString() ?? "null";
        });

    public override ReadOnlyMemory<byte> EncodeJson(JsonElement item, JsonSerializerOptions json) =>
        item.Deserialize<T>(json) is { } value ? codec.Encode(value) : throw new JsonException("it is null");

    public override IPayloadSource CreateSource(IServiceProvider services) =>
        new EncodingItemSource<T>((IItemSource<T>)services.GetRequiredService(sourceType), codec, Formatter);

    public override IPayloadHandler CreateHandler(IServiceProvider services)
    {
        var scopes = services.GetRequiredService<IServiceScopeFactory>();
        if (resultType is null)
        {
            return new ScopedWorkHandler<T>(scopes, handlerType, codec, Formatter, IsSingleton(handlerType) ? services : null);
        }

        var handler = typeof(ScopedResultHandler<,>).MakeGenericType(typeof(T), resultType);
        var singletons = IsSingleton(handlerType) && IsSingleton(sinkType!) ? services : null;
        return (IPayloadHandler)Activator.CreateInstance(handler, scopes, handlerType, sinkType!, codec, Formatter, singletons)!;
    }

    // The last registration is the one resolved. A singleton is the same instance in every scope, so a scope made
    // only to resolve it holds and disposes nothing.
    private bool IsSingleton(Type service) =>
        registrations?.LastOrDefault(d => d.ServiceType == service && !d.IsKeyedService)?.Lifetime == ServiceLifetime.Singleton;
}
