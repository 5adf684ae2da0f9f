using System.Buffers.Binary;
using System.Runtime.Serialization;
using System.Text;

namespace ActorPipeline.Coordinator;

/// <summary>
/// Writes the queue protocol's and journal's wire format (little endian, length-prefixed UTF-8 and byte runs).
/// A message is written twice: first by a measuring writer that only counts bytes, then into an array
/// of exactly that size. So each message costs one allocation and its layout is written in one place.
/// </summary>
internal ref struct WireWriter
{
    private readonly Span<byte> _buffer;
    private readonly bool _measuring;
    private int _position;

    private WireWriter(Span<byte> buffer, bool measuring)
    {
        _buffer = buffer;
        _measuring = measuring;
        _position = 0;
    }

    /// <summary>Bytes written (or, when measuring, that would be written) so far.</summary>
    public readonly int Position => _position;

    /// <summary>A writer that only counts, to size the output array.</summary>
    public static WireWriter Measuring() => new(default, measuring: true);

    /// <summary>A writer into <paramref name="buffer"/>, which must be as long as the measuring pass said.</summary>
    public static WireWriter Over(Span<byte> buffer) => new(buffer, measuring: false);

    public void WriteByte(byte value)
    {
        if (!_measuring)
        {
            _buffer[_position] = value;
        }

        Advance(sizeof(byte));
    }

    public void WriteBool(bool value) => WriteByte(value ? (byte)1 : (byte)0);

    public void WriteInt32(int value)
    {
        if (!_measuring)
        {
            BinaryPrimitives.WriteInt32LittleEndian(_buffer[_position..], value);
        }

        Advance(sizeof(int));
    }

    public void WriteInt64(long value)
    {
        if (!_measuring)
        {
            BinaryPrimitives.WriteInt64LittleEndian(_buffer[_position..], value);
        }

        Advance(sizeof(long));
    }

    /// <summary>
    /// UTC ticks. A local time is converted so the instant survives; an unspecified kind is taken as UTC
    /// already (converting it would shift it by this machine's offset), which is what the producers send.
    /// </summary>
    public void WriteDateTime(DateTime value) =>
        WriteInt64(value.Kind == DateTimeKind.Local ? value.ToUniversalTime().Ticks : value.Ticks);

    /// <summary>A list's count; refused here as well, so a sender learns of the limit rather than its peer.</summary>
    public void WriteCount(int count, string field, int limit = QueueMessageSerializer.MaxListCount)
    {
        if (count > limit)
        {
            throw new SerializationException($"Cannot serialize {field}: {count} entries exceed the limit of {limit}.");
        }

        WriteInt32(count);
    }

    /// <summary>
    /// A length-prefixed UTF-8 string. Lone surrogates become U+FFFD (UTF-8 cannot carry them), so the
    /// bytes written are always valid UTF-8, which the reader insists on.
    /// </summary>
    public void WriteString(string value, string field)
    {
        if (_measuring)
        {
            var length = Encoding.UTF8.GetByteCount(value);
            if (length > QueueMessageSerializer.MaxStringBytes)
            {
                throw new SerializationException(
                    $"Cannot serialize {field}: {length} UTF-8 bytes exceed the limit of {QueueMessageSerializer.MaxStringBytes}.");
            }

            Advance(sizeof(int) + length);
            return;
        }

        // Encode straight after the prefix's slot, then fill the prefix in: one encoding pass.
        var written = Encoding.UTF8.GetBytes(value, _buffer[(_position + sizeof(int))..]);
        BinaryPrimitives.WriteInt32LittleEndian(_buffer[_position..], written);
        Advance(sizeof(int) + written);
    }

    /// <summary>A length-prefixed run of opaque bytes (an item's payload).</summary>
    public void WritePayload(ReadOnlySpan<byte> value)
    {
        if (value.Length > QueueMessageSerializer.MaxPayloadBytes)
        {
            throw new SerializationException(
                $"Cannot serialize an item payload of {value.Length} bytes: the limit is {QueueMessageSerializer.MaxPayloadBytes}.");
        }

        WriteInt32(value.Length);
        if (!_measuring)
        {
            value.CopyTo(_buffer[_position..]);
        }

        Advance(value.Length);
    }

    /// <summary>Moves on, refusing a message too big for one array (many large payloads) instead of overflowing.</summary>
    private void Advance(int count)
    {
        if (count > Array.MaxLength - _position)
        {
            throw new SerializationException($"Cannot serialize a queue message, event or snapshot of more than {Array.MaxLength} bytes.");
        }

        _position += count;
    }
}
