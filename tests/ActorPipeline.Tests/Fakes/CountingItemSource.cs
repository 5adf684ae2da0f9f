using System.Runtime.CompilerServices;
using ActorPipeline.Producers;

namespace ActorPipeline.Tests.Fakes;

/// <summary>
/// Yields <c>itemsPerProducer</c> two-byte items (producer id, index) at once, counting how many were
/// taken; optionally throws after <c>failAfter</c> items, or waits forever (until cancelled) after them.
/// </summary>
public sealed class CountingItemSource(int itemsPerProducer, int? failAfter = null, int? hangAfter = null) : IItemSource
{
    private int _taken;

    public int Taken => Volatile.Read(ref _taken);

    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadAsync(int index, string producerId, long skip, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
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
            yield return new[] { (byte)index, (byte)i };
        }
    }
}
