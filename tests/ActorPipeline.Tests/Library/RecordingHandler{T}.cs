using System.Collections.Concurrent;

namespace ActorPipeline.Tests.Library;

/// <summary>A work handler that keeps every item it was given, decoded, with its context.</summary>
internal sealed class RecordingHandler<T> : IWorkHandler<T>
{
    public ConcurrentQueue<(T Item, WorkContext Context)> Handled { get; } = new();

    public ValueTask HandleAsync(T item, WorkContext context)
    {
        Handled.Enqueue((item, context));
        return ValueTask.CompletedTask;
    }
}
