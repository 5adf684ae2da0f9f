using Microsoft.Extensions.DependencyInjection;

namespace ActorPipeline.Hosting.Pipeline;

/// <summary>
/// The user's handler as a consumer runs it: the payload decoded, and the handler resolved in a scope of its
/// own for each attempt, as a .NET worker resolves one per message, so a scoped DbContext is new per item and
/// disposed after it. A handler registered as a singleton is resolved once and run without a scope: every scope
/// would give the same instance and have nothing of its own to dispose, and a scope per item is a measurable
/// share of quick work.
/// </summary>
// singletons: the root services if the handler is registered as a singleton, else null.
internal sealed class ScopedWorkHandler<T>(
    IServiceScopeFactory scopes, Type handlerType, IItemCodec<T> codec, ItemFormatter formatter, IServiceProvider? singletons = null) : IPayloadHandler
{
    private IWorkHandler<T>? _singleton; // resolved on first use, as a scope would resolve it

    public ItemFormatter Formatter => formatter;

    public ValueTask HandleAsync(WorkContext context, CancellationToken cancellationToken)
    {
        if (singletons is null)
        {
            return HandleInScopeAsync(context);
        }

        try
        {
            var item = ItemDecoding.Decode(codec, context);
            _singleton ??= (IWorkHandler<T>)singletons.GetRequiredService(handlerType);
            return _singleton.HandleAsync(item, context);
        }
        catch (Exception error)
        {
            return ValueTask.FromException(error); // failed as the scoped path fails: in the returned task, not thrown
        }
    }

    private async ValueTask HandleInScopeAsync(WorkContext context)
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
