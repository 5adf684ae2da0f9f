namespace ActorPipeline;

/// <summary>
/// Items that are already bytes, carried as they are: the default for <c>byte[]</c> items. Logs show them as
/// lower-case hex, as the seed prints its items.
/// </summary>
public sealed class RawBytesCodec : IItemCodec<byte[]>
{
    /// <inheritdoc />
    public ReadOnlyMemory<byte> Encode(byte[] item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return item;
    }

    /// <inheritdoc />
    public byte[] Decode(ReadOnlyMemory<byte> payload) => payload.ToArray();
}
