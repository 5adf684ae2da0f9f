using System.Runtime.CompilerServices;
using ActorPipeline.Producers;

namespace ActorPipeline.Benchmarks;

/// <summary>
/// The seed's items without its sleeps, for the shipped producer actors: producer <c>index</c> yields its
/// share of the run's items at once, 5 bytes each, and paces them to its share of <see cref="LoadSettings.Rate"/>
/// when one is set.
/// </summary>
public sealed class BenchItemSource(LoadSettings settings) : IPayloadSource
{
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadAsync(SourceContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (index, producerId, skip) = (context.Index, context.ProducerId, context.Skip);
        var share = settings.ShareOf(index);
        var perSecond = settings.Rate <= 0 ? 0 : Math.Max(1.0, settings.Rate / (double)settings.Producers);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        for (var i = skip; i < share; i++)
        {
            if (perSecond > 0 && i % settings.Batch == 0)
            {
                // A batch at a time, at its due time: the offered rate, not a burst.
                var due = TimeSpan.FromSeconds(i / perSecond) - System.Diagnostics.Stopwatch.GetElapsedTime(started);
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, cancellationToken);
                }
            }

            var item = new byte[5];
            BitConverter.TryWriteBytes(item, (int)i);
            item[4] = (byte)index;
            yield return item;
        }
    }
}
