using System.Collections.Concurrent;
using ActorPipeline.Consumers;

namespace ActorPipeline.Tests.Fakes;

/// <summary>
/// A work handler whose behaviour per item is scripted: fail the first N attempts, or hang until
/// cancelled on the first attempt. Records every attempt with the consumer that made it.
/// </summary>
internal sealed class ScriptedWorkHandler : IPayloadHandler
{
    private readonly ConcurrentDictionary<string, int> _failures = new();
    private readonly ConcurrentDictionary<string, bool> _hangOnce = new();
    private readonly ConcurrentDictionary<string, bool> _hangAlways = new();
    private readonly ConcurrentDictionary<string, bool> _permanent = new();

    public ConcurrentQueue<WorkContext> Attempts { get; } = new();

    public ConcurrentQueue<string> Completed { get; } = new();

    /// <summary>The item fails its first <paramref name="attempts"/> attempts (int.MaxValue: always).</summary>
    public ScriptedWorkHandler Fail(string hex, int attempts)
    {
        _failures[hex] = attempts;
        return this;
    }

    /// <summary>Every attempt at the item throws <see cref="PermanentItemFailureException"/>: it can never succeed.</summary>
    public ScriptedWorkHandler FailPermanently(string hex)
    {
        _permanent[hex] = true;
        return this;
    }

    /// <summary>The first attempt at the item waits until it is cancelled; later attempts succeed.</summary>
    public ScriptedWorkHandler HangOnce(string hex)
    {
        _hangOnce[hex] = true;
        return this;
    }

    /// <summary>Every attempt at the item waits until it is cancelled.</summary>
    public ScriptedWorkHandler HangAlways(string hex)
    {
        _hangAlways[hex] = true;
        return this;
    }

    public int AttemptsAt(string hex) => Attempts.Count(a => a.Item.Hex == hex);

    public async ValueTask HandleAsync(WorkContext context, CancellationToken cancellationToken)
    {
        var hex = context.Item.Hex;
        Attempts.Enqueue(context);
        if (_hangAlways.ContainsKey(hex) || _hangOnce.TryRemove(hex, out _))
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        }

        if (_permanent.ContainsKey(hex))
        {
            throw new PermanentItemFailureException($"the input of {hex} is gone", new FileNotFoundException($"{hex}.dat"));
        }

        if (_failures.TryGetValue(hex, out var failures) && context.Attempt <= failures)
        {
            throw new InvalidOperationException($"scripted failure {context.Attempt} of {hex}");
        }

        Completed.Enqueue(hex);
    }
}
