namespace ActorPipeline;

/// <summary>
/// Turns an item into the bytes the queue carries, journals and hands to a consumer, and back. One per item
/// type: <see cref="JsonItemCodec{T}"/> unless the builder is told otherwise (<see cref="ActorPipelineBuilder.UseCodec{T}"/>),
/// <see cref="ProtobufItemCodec{T}"/> for Protocol Buffers messages, <see cref="RawBytesCodec"/> for <c>byte[]</c>.
/// Encoded items count against <c>Pipeline:Queue:MaxItemBytes</c>.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
public interface IItemCodec<T>
{
    /// <summary>The item's bytes. Every node must decode them alike, so the encoding must not depend on the machine.</summary>
    /// <param name="item">The item a source produced.</param>
    ReadOnlyMemory<byte> Encode(T item);

    /// <summary>
    /// The item the bytes encode. Throw when they do not: the item is then dead-lettered at once, since no
    /// retry can decode it.
    /// </summary>
    /// <param name="payload">Bytes <see cref="Encode"/> made, on this node or another.</param>
    T Decode(ReadOnlyMemory<byte> payload);
}
