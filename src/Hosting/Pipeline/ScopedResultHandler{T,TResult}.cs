using Microsoft.Extensions.DependencyInjection;

namespace ActorPipeline.Hosting.Pipeline;

/// <summary>
/// A handler that returns results, run as <see cref="ScopedWorkHandler{T}"/> runs one; its result goes to the
/// sink from the same scope before the attempt returns, so an item is marked done only once its result is stored
/// (at least once: a redelivery writes it again under the same item id).
/// </summary>
internal sealed class ScopedResultHandler<T, TResult>(
    IServiceScopeFactory scopes, Type handlerType, Type sinkType, IItemCodec<T> codec, ItemFormatter formatter) : IPayloadHandler
{
    public ItemFormatter Formatter => formatter;

    public async ValueTask HandleAsync(WorkContext context, CancellationToken cancellationToken)
    {
        var item = ItemDecoding.Decode(codec, context);
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var handler = (IWorkHandler<T, TResult>)scope.ServiceProvider.GetRequiredService(handlerType);
            var result = await handler.HandleAsync(item, context).ConfigureAwait(false);
            var sink = (IResultSink<TResult>)scope.ServiceProvider.GetRequiredService(sinkType);
            await sink.WriteAsync(new ItemResult<TResult>(context.ItemId, result, context.DeliveryCount), cancellationToken).ConfigureAwait(false);
        }
    }
}
