namespace ActorPipeline;

/// <summary>
/// The work done with each item. Returning marks the item done (the queue's task_done); throwing makes the
/// consumer retry it with backoff and, after the last attempt, dead-letter it; throwing
/// <see cref="PermanentItemFailureException"/> dead-letters it at once. A handler is resolved from the
/// container in a scope of its own for every item, so scoped services (a DbContext) are new per item.
/// </summary>
/// <typeparam name="T">The item type its source produces.</typeparam>
public interface IWorkHandler<in T>
{
    /// <summary>Does the work for one item. Honour <see cref="WorkContext.CancellationToken"/>.</summary>
    /// <param name="item">The item, decoded by the pipeline's codec.</param>
    /// <param name="context">Its id, attempt, delivery count and cancellation.</param>
    ValueTask HandleAsync(T item, WorkContext context);
}
