using System.Buffers.Binary;
using System.Runtime.Serialization;
using System.Text;
using System.Text.Unicode;

namespace ActorPipeline.Coordinator;

/// <summary>
/// Reads what <see cref="WireWriter"/> wrote, trusting nothing: the bytes come off the network, or out of
/// a journal that other code may have written. Every read checks the bytes left first, every length and
/// count is checked against its limit and against what remains (so a forged length cannot make it
/// allocate), and every failure is a <see cref="SerializationException"/> naming the manifest and the offset.
/// </summary>
internal ref struct WireReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private readonly string _manifest;
    private int _position;

    public WireReader(ReadOnlySpan<byte> buffer, string manifest)
    {
        _buffer = buffer;
        _manifest = manifest;
        _position = 0;
    }

    /// <summary>The whole input's length, for error messages.</summary>
    public readonly int Length => _buffer.Length;

    private readonly int Remaining => _buffer.Length - _position;

    public byte ReadByte(string field)
    {
        Require(sizeof(byte), field);
        return _buffer[_position++];
    }

    public bool ReadBool(string field)
    {
        var value = ReadByte(field);
        return value switch
        {
            0 => false,
            1 => true,
            _ => throw Malformed($"{field} is bool byte {value}, neither 0 nor 1"),
        };
    }

    public int ReadInt32(string field)
    {
        Require(sizeof(int), field);
        var value = BinaryPrimitives.ReadInt32LittleEndian(_buffer[_position..]);
        _position += sizeof(int);
        return value;
    }

    public long ReadInt64(string field)
    {
        Require(sizeof(long), field);
        var value = BinaryPrimitives.ReadInt64LittleEndian(_buffer[_position..]);
        _position += sizeof(long);
        return value;
    }

    public DateTime ReadDateTime(string field)
    {
        var ticks = ReadInt64(field);
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
        {
            throw Malformed($"{field} has {ticks} ticks, outside DateTime's range");
        }

        return new DateTime(ticks, DateTimeKind.Utc);
    }

    /// <summary>
    /// A list's count, refused when negative, over <paramref name="limit"/>, or more than the bytes left
    /// could hold at <paramref name="minEntryBytes"/> each, so the caller may size its array from it.
    /// </summary>
    public int ReadCount(int minEntryBytes, string field, int limit = QueueMessageSerializer.MaxListCount)
    {
        var count = ReadInt32(field);
        if (count < 0)
        {
            throw Malformed($"{field} has a negative count {count}");
        }

        if (count > limit)
        {
            throw Malformed($"{field} has {count} entries, over the limit of {limit}");
        }

        if ((long)count * minEntryBytes > Remaining)
        {
            throw Malformed($"{field} has {count} entries of at least {minEntryBytes} bytes each, but only {Remaining} bytes remain");
        }

        return count;
    }

    public string ReadString(string field)
    {
        var bytes = ReadRun(QueueMessageSerializer.MaxStringBytes, field);
        if (!Utf8.IsValid(bytes))
        {
            throw Malformed($"{field} is not valid UTF-8");
        }

        return bytes.IsEmpty ? string.Empty : Encoding.UTF8.GetString(bytes);
    }

    /// <summary>An item's payload, copied: the input array belongs to the transport and may be reused.</summary>
    public ReadOnlyMemory<byte> ReadPayload(string field)
    {
        var bytes = ReadRun(QueueMessageSerializer.MaxPayloadBytes, field);
        return bytes.IsEmpty ? ReadOnlyMemory<byte>.Empty : bytes.ToArray();
    }

    /// <summary>Whether every byte has been read: a field added in a later version is absent from an older message.</summary>
    public readonly bool AtEnd => Remaining == 0;

    /// <summary>A whole message has been read; anything after it means the bytes are not what the manifest says.</summary>
    public readonly void EnsureEnd()
    {
        if (Remaining != 0)
        {
            throw Malformed($"{Remaining} trailing bytes after a complete message");
        }
    }

    /// <summary>The exception for anything wrong at the current offset.</summary>
    public readonly SerializationException Malformed(string problem, Exception? inner = null) =>
        new($"Malformed queue data with manifest '{_manifest}': {problem} (at offset {_position} of {_buffer.Length} bytes).", inner);

    private ReadOnlySpan<byte> ReadRun(int maxLength, string field)
    {
        var length = ReadInt32(field);
        if (length < 0)
        {
            throw Malformed($"{field} has a negative length {length}");
        }

        if (length > maxLength)
        {
            throw Malformed($"{field} is {length} bytes long, over the limit of {maxLength}");
        }

        Require(length, field);
        var run = _buffer.Slice(_position, length);
        _position += length;
        return run;
    }

    private readonly void Require(int length, string field)
    {
        if (length > Remaining)
        {
            throw Malformed($"truncated: {field} needs {length} bytes but only {Remaining} remain");
        }
    }
}
