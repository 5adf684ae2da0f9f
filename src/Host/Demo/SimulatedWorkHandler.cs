using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorPipeline.Host.Demo;

/// <summary>
/// The seed's work: sleep a random time. Each consumer draws from its own generator seeded with (seed, consumer id).
/// A singleton (the generators outlive an item), so it is registered as one before the pipeline adds it.
/// </summary>
internal sealed class SimulatedWorkHandler(IOptions<DemoOptions> demo, ILogger<SimulatedWorkHandler> log) : IWorkHandler<byte[]>
{
    private readonly DemoConsumerOptions _options = demo.Value.Consumers;

    // A consumer handles one item at a time, so its generator is never used by two threads at once.
    private readonly ConcurrentDictionary<int, Random> _randoms = new();

    public async ValueTask HandleAsync(byte[] item, WorkContext context)
    {
        var random = _randoms.GetOrAdd(context.ConsumerId, id => new Random(unchecked((demo.Value.Seed * 1_000_003) + 500_009 + id)));
        var min = _options.MinDelay.Ticks;
        var delay = TimeSpan.FromTicks(min + random.NextInt64(_options.MaxDelay.Ticks - min + 1));
        DemoLog.ConsumerSleeping(log, context.ConsumerId, delay.TotalSeconds);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, context.CancellationToken);
        }

        if (item.Length > 0 && item[0] < _options.PoisonRate * 256)
        {
            var hex = Convert.ToHexStringLower(item);
            throw _options.PoisonPermanent
                ? new PermanentItemFailureException($"simulated permanent failure of item <{hex}>")
                : new InvalidOperationException($"simulated poison item <{hex}>");
        }
    }
}
