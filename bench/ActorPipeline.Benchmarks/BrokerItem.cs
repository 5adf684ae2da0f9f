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

    /// <summary>
    /// One broker producer: <paramref name="count"/> sends of fresh bodies, <paramref name="batch"/> in flight,
    /// each batch awaited whole before the next (the brokers' counterpart of a put of a batch).
    /// </summary>
    public static async Task PutAllAsync(long count, int batch, int seed, Func<byte[], Task> send)
    {
        var random = new Random(seed);
        var inFlight = new List<Task>(batch);
        for (long i = 0; i < count; i++)
        {
            inFlight.Add(send(Create(random)));
            if (inFlight.Count == batch)
            {
                await Task.WhenAll(inFlight);
                inFlight.Clear();
            }
        }

        await Task.WhenAll(inFlight);
    }
}
