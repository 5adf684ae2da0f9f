using System.Runtime.CompilerServices;
using ActorPipeline.Producers;

namespace ActorPipeline.Tests.Fakes;

/// <summary>
/// Yields <c>itemsPerProducer</c> two-byte items (producer id, index) at once, counting how many were
/// taken; optionally throws after <c>failAfter</c> items, or waits forever (until cancelled) after them,
/// and makes item number <c>oversizedAt</c> <c>oversizedBytes</c> long (same first two bytes).
/// </summary>
internal sealed class CountingItemSource(int itemsPerProducer, int? failAfter = null, int? hangAfter = null, int? oversizedAt = null, int oversizedBytes = 0) : IPayloadSource
{
    private int _taken;
    private int _hanging;

    public int Taken => Volatile.Read(ref _taken);

    /// <summary>Sources now in their endless sleep (with <c>hangAfter</c>): a stop can only end a sleep that began.</summary>
    public int Hanging => Volatile.Read(ref _hanging);

    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadAsync(SourceContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (index, producerId, skip) = (context.Index, context.ProducerId, context.Skip);
        for (var i = (int)skip; i < itemsPerProducer; i++)
        {
            if (i == failAfter)
            {
                throw new IOException($"source of producer {index} ({producerId}) broke");
            }

            if (i == hangAfter)
            {
                Interlocked.Increment(ref _hanging);
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            }

            Interlocked.Increment(ref _taken);
            var item = new byte[i == oversizedAt ? oversizedBytes : 2];
            (item[0], item[1]) = ((byte)index, (byte)i);
            yield return item;
        }
    }
}
