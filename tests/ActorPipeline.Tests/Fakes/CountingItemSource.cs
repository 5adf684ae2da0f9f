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

    public int Taken => Volatile.Read(ref _taken);

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
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            }

            Interlocked.Increment(ref _taken);
            var item = new byte[i == oversizedAt ? oversizedBytes : 2];
            (item[0], item[1]) = ((byte)index, (byte)i);
            yield return item;
        }
    }
}
