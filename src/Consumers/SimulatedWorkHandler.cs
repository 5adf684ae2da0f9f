using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ActorPipeline.Consumers;

/// <summary>The seed's work: sleep a random time. Each consumer draws from its own generator seeded with (seed, consumer id).</summary>
public sealed class SimulatedWorkHandler(ConsumerOptions options, int seed, ILogger<SimulatedWorkHandler> log) : IWorkHandler
{
    // A consumer handles one item at a time, so its generator is never used by two threads at once.
    private readonly ConcurrentDictionary<int, Random> _randoms = new();

    public async ValueTask HandleAsync(WorkContext context, CancellationToken cancellationToken)
    {
        var random = _randoms.GetOrAdd(context.ConsumerId, id => new Random(unchecked((seed * 1_000_003) + 500_009 + id)));
        var min = options.MinDelay.Ticks;
        var delay = TimeSpan.FromTicks(min + random.NextInt64(options.MaxDelay.Ticks - min + 1));
        ConsumerLog.Sleeping(log, context.ConsumerId, delay.TotalSeconds);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, cancellationToken);
        }

        if (context.Item.Payload.Length > 0 && context.Item.Payload.Span[0] < options.PoisonRate * 256)
        {
            throw options.PoisonPermanent
                ? new PermanentItemFailureException($"simulated permanent failure of item <{context.Item.Hex}>")
                : new InvalidOperationException($"simulated poison item <{context.Item.Hex}>");
        }
    }
}
