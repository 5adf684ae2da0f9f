using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorPipeline.Host.Demo;

/// <summary>
/// The seed's producer: a random number of items, each a few random bytes, after a random sleep.
/// Counts and sleeps come from a generator seeded with (seed, index), so a run has the same shape for
/// the same seed. The bytes come from one seeded with (seed, producer id): producers on different
/// nodes never put the same items, and a producer restarted under the same id draws the same ones,
/// which is what lets it skip those the queue already holds.
/// </summary>
internal sealed class RandomItemSource(IOptions<DemoOptions> demo, ILogger<RandomItemSource> log) : IItemSource<byte[]>
{
    private readonly DemoProducerOptions _options = demo.Value.Producers;
    private readonly int _seed = demo.Value.Seed;

    public async IAsyncEnumerable<byte[]> ReadAsync(SourceContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (index, producerId, skip) = (context.Index, context.ProducerId, context.Skip);
        // Not HashCode.Combine: it is randomised per process, and a restarted producer must draw the same again.
        var shape = new Random(unchecked((_seed * 1_000_003) + index));
        var content = new Random(unchecked((_seed * 1_000_003) + StableHash(producerId)));
        var count = shape.Next(_options.MinItems, _options.MaxItems + 1);
        for (var i = 0; i < count; i++)
        {
            var delay = RandomDelay(shape);
            var item = new byte[_options.ItemBytes];
            content.NextBytes(item);
            if (i < skip)
            {
                continue; // drawn as before the restart, not slept for and not put again
            }

            DemoLog.ProducerSleeping(log, index, delay.TotalSeconds);
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, cancellationToken);
            }

            yield return item;
        }
    }

    // FNV-1a: the same number for the same id in every process.
    private static int StableHash(string value)
    {
        var hash = 2166136261u;
        foreach (var c in value)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        return unchecked((int)hash);
    }

    private TimeSpan RandomDelay(Random random)
    {
        var min = _options.MinDelay.Ticks;
        var max = _options.MaxDelay.Ticks;
        return TimeSpan.FromTicks(min + random.NextInt64(max - min + 1));
    }
}
