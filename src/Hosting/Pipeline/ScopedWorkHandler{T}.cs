using Microsoft.Extensions.DependencyInjection;

namespace ActorPipeline.Hosting.Pipeline;

/// <summary>
/// The user's handler as a consumer runs it: the payload decoded, and the handler resolved in a scope of its
/// own for each attempt, as a .NET worker resolves one per message, so a scoped DbContext is new per item and
/// disposed after it.
/// </summary>
internal sealed class ScopedWorkHandler<T>(IServiceScopeFactory scopes, Type handlerType, IItemCodec<T> codec, ItemFormatter formatter) : IPayloadHandler
{
    public ItemFormatter Formatter => formatter;

    public async ValueTask HandleAsync(WorkContext context, CancellationToken cancellationToken)
    {
        var item = ItemDecoding.Decode(codec, context);
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var handler = (IWorkHandler<T>)scope.ServiceProvider.GetRequiredService(handlerType);
            await handler.HandleAsync(item, context).ConfigureAwait(false);
        }
    }
}
