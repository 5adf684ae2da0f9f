using System.Buffers.Binary;
using System.Diagnostics;

namespace ActorPipeline.Benchmarks;

/// <summary>The brokers' message body: the put time (a Stopwatch timestamp, 8 bytes) and the seed's 5 random bytes.</summary>
public static class BrokerItem
{
    public static byte[] Create(Random random)
    {
        var body = new byte[8 + 5];
        BinaryPrimitives.WriteInt64LittleEndian(body, Stopwatch.GetTimestamp());
        random.NextBytes(body.AsSpan(8));
        return body;
    }

    public static TimeSpan LatencyOf(ReadOnlySpan<byte> body) => Stopwatch.GetElapsedTime(BinaryPrimitives.ReadInt64LittleEndian(body));
}
