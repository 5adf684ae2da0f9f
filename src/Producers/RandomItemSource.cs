using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace ActorPipeline.Producers;

/// <summary>
/// The seed's producer: a random number of items, each a few random bytes, after a random sleep.
/// Each producer draws from its own generator seeded with (seed, producer id), so a run's item
/// counts and contents repeat for the same seed however the producers interleave.
/// </summary>
public sealed class RandomItemSource(ProducerOptions options, int seed, ILogger<RandomItemSource> log) : IItemSource
{
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadAsync(int producerId, long skip, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Not HashCode.Combine: it is randomised per process, and a restarted producer must draw the same items to skip them.
        var random = new Random(unchecked((seed * 1_000_003) + producerId));
        var count = random.Next(options.MinItems, options.MaxItems + 1);
        for (var i = 0; i < count; i++)
        {
            var delay = RandomDelay(random);
            if (i < skip)
            {
                random.NextBytes(new byte[options.ItemBytes]); // the same draws as before the restart, without the sleep
                continue;
            }

            ProducerLog.Sleeping(log, producerId, delay.TotalSeconds);
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, cancellationToken);
            }

            var item = new byte[options.ItemBytes];
            random.NextBytes(item);
            yield return item;
        }
    }

    private TimeSpan RandomDelay(Random random)
    {
        var min = options.MinDelay.Ticks;
        var max = options.MaxDelay.Ticks;
        return TimeSpan.FromTicks(min + random.NextInt64(max - min + 1));
    }
}
