namespace ActorPipeline;

/// <summary>
/// A work handler that returns a result for each item: the pipeline hands the result to the registered
/// <see cref="IResultSink{TResult}"/>, in the same scope, before it marks the item done. Otherwise as <see cref="IWorkHandler{T}"/>.
/// </summary>
/// <typeparam name="T">The item type its source produces.</typeparam>
/// <typeparam name="TResult">What the work yields for one item.</typeparam>
public interface IWorkHandler<in T, TResult>
{
    /// <summary>Does the work for one item and returns its result. Honour <see cref="WorkContext.CancellationToken"/>.</summary>
    /// <param name="item">The item, decoded by the pipeline's codec.</param>
    /// <param name="context">Its id, attempt, delivery count and cancellation.</param>
    ValueTask<TResult> HandleAsync(T item, WorkContext context);
}
