using ActorPipeline.Consumers;

namespace ActorPipeline.Tests.Fakes;

/// <summary>A work handler made of a lambda.</summary>
internal sealed class DelegateWorkHandler : IPayloadHandler
{
    private readonly Func<WorkContext, CancellationToken, Task> _work;

    public DelegateWorkHandler(Func<WorkContext, CancellationToken, Task> work) => _work = work;

    public DelegateWorkHandler(Action<WorkContext> work) => _work = (context, _) =>
    {
        work(context);
        return Task.CompletedTask;
    };

    public async ValueTask HandleAsync(WorkContext context, CancellationToken cancellationToken) => await _work(context, cancellationToken);
}
