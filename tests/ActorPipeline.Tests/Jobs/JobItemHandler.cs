using System.Collections.Concurrent;
using ActorPipeline.Tests.Library;

namespace ActorPipeline.Tests.Jobs;

/// <summary>
/// The service specs' handler. Items of producer <see cref="Gated"/> number 1 wait for <see cref="Release"/>; items of
/// producer <see cref="Poisoned"/> whose number is a multiple of 3 can never succeed; every other item completes.
/// </summary>
internal sealed class JobItemHandler : IWorkHandler<WorkItem>
{
    public const int Plain = 100;
    public const int Gated = 101;
    public const int Poisoned = 102;

    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<WorkItem> Completed { get; } = new();

    public void Release() => _gate.TrySetResult();

    public async ValueTask HandleAsync(WorkItem item, WorkContext context)
    {
        if (item is { Producer: Gated, Number: 1 })
        {
            await _gate.Task.WaitAsync(context.CancellationToken);
        }

        if (item.Producer == Poisoned && item.Number % 3 == 0)
        {
            throw new PermanentItemFailureException($"poison {item}");
        }

        Completed.Enqueue(item);
    }
}
