using Microsoft.Extensions.DependencyInjection;

namespace ActorPipeline.Hosting.Pipeline;

/// <summary>
/// A handler that returns results, run as <see cref="ScopedWorkHandler{T}"/> runs one; its result goes to the
/// sink from the same scope before the attempt returns, so an item is marked done only once its result is stored
/// (at least once: a redelivery writes it again under the same item id). When both the handler and the sink are
/// registered as singletons they are resolved once and run without a scope, which would hold nothing of its own.
/// </summary>
// singletons: the root services if the handler and the sink are both registered as singletons, else null.
internal sealed class ScopedResultHandler<T, TResult>(
    IServiceScopeFactory scopes, Type handlerType, Type sinkType, IItemCodec<T> codec, ItemFormatter formatter, IServiceProvider? singletons = null)
    : IPayloadHandler
{
    private IWorkHandler<T, TResult>? _handler; // the singletons, resolved on first use as a scope would resolve them
    private IResultSink<TResult>? _sink;

    public ItemFormatter Formatter => formatter;

    public ValueTask HandleAsync(WorkContext context, CancellationToken cancellationToken)
    {
        if (singletons is null)
        {
            return HandleInScopeAsync(context, cancellationToken);
        }

        try
        {
            var item = ItemDecoding.Decode(codec, context);
            _handler ??= (IWorkHandler<T, TResult>)singletons.GetRequiredService(handlerType);
            _sink ??= (IResultSink<TResult>)singletons.GetRequiredService(sinkType);
            var result = _handler.HandleAsync(item, context);
            return result.IsCompletedSuccessfully
                ? _sink.WriteAsync(ResultOf(context, result.Result), cancellationToken)
                : WriteWhenDoneAsync(result, _sink, context, cancellationToken);
        }
        catch (Exception error)
        {
            return ValueTask.FromException(error); // failed as the scoped path fails: in the returned task, not thrown
        }
    }

    private static async ValueTask WriteWhenDoneAsync(
        ValueTask<TResult> pending, IResultSink<TResult> sink, WorkContext context, CancellationToken cancellationToken)
    {
        var result = await pending.ConfigureAwait(false);
        await sink.WriteAsync(ResultOf(context, result), cancellationToken).ConfigureAwait(false);
    }

    // Filed under the item's stable id with this delivery's count, so that a sink keyed on the id stays exactly-once.
    private static ItemResult<TResult> ResultOf(WorkContext context, TResult result) => new(context.ItemId, result, context.DeliveryCount);

    private async ValueTask HandleInScopeAsync(WorkContext context, CancellationToken cancellationToken)
    {
        var item = ItemDecoding.Decode(codec, context);
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var handler = (IWorkHandler<T, TResult>)scope.ServiceProvider.GetRequiredService(handlerType);
            var result = await handler.HandleAsync(item, context).ConfigureAwait(false);
            var sink = (IResultSink<TResult>)scope.ServiceProvider.GetRequiredService(sinkType);
            await sink.WriteAsync(ResultOf(context, result), cancellationToken).ConfigureAwait(false);
        }
    }
}
