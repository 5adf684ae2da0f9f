using ActorPipeline.Consumers;
using Microsoft.Extensions.Logging;

namespace ActorPipeline.Tests.Fakes;

/// <summary>Runs the real handler, then logs that the work is done: the consumer sends task_done right after.</summary>
internal sealed class ObservedWorkHandler(IPayloadHandler inner, ILogger<ObservedWorkHandler> log) : IPayloadHandler
{
    public const string WorkDone = "Work done <{Item}>";

    public async ValueTask HandleAsync(WorkContext context, CancellationToken cancellationToken)
    {
        await inner.HandleAsync(context, cancellationToken);
#pragma warning disable CA2254 // the template is a constant shared with the specs that look for it
        log.LogInformation(WorkDone, context.Item.Hex);
#pragma warning restore CA2254
    }
}
