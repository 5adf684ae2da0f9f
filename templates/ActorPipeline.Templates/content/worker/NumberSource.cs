using System.Runtime.CompilerServices;
using ActorPipeline;
using Microsoft.Extensions.Options;

namespace ActorPipelineWorker;

/// <summary>One unit of work: a number to factorise. Items travel between nodes as JSON.</summary>
/// <param name="Index">Its place in the run, from 0.</param>
/// <param name="Number">The number.</param>
public sealed record NumberItem(int Index, long Number);

/// <summary>
/// What the producers put on the queue: <c>Worker:Items</c> numbers from <c>Worker:FirstNumber</c> on.
/// Each producer of the node reads it with its own <see cref="SourceContext"/> and takes every
/// <c>context.Count</c>-th item from <c>context.Index</c> on, so together they put each item once.
/// Replace it with your own input: lines of a file, rows of a table, objects in a bucket.
/// </summary>
public sealed class NumberSource(IOptions<WorkerOptions> options) : IItemSource<NumberItem>
{
    private readonly WorkerOptions _options = options.Value;

    public async IAsyncEnumerable<NumberItem> ReadAsync(SourceContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // After a restart, the queue already holds this producer's first context.Skip items: the source
        // yields the same items in the same order, and the producer starts after them.
        long mine = 0;
        for (var index = context.Index; index < _options.Items; index += context.Count)
        {
            if (mine++ < context.Skip)
            {
                continue;
            }

            if (_options.Interval > TimeSpan.Zero)
            {
                await Task.Delay(_options.Interval, cancellationToken);
            }

            yield return new NumberItem(index, _options.FirstNumber + index);
        }
    }
}
