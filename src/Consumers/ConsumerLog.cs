using Microsoft.Extensions.Logging;

namespace ActorPipeline.Consumers;

/// <summary>The consumers' log events; the first two keep the seed's wording exactly.</summary>
internal static partial class ConsumerLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Consumer {ConsumerId} got element <{Item}> in {Latency} seconds.")]
    public static partial void Got(ILogger log, int consumerId, string item, decimal latency);

    [LoggerMessage(Level = LogLevel.Information, Message = "Consumer {ConsumerId} cancelled.")]
    public static partial void Cancelled(ILogger log, int consumerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consumer {ConsumerId} failed on <{Item}> (attempt {Attempt} of {MaxAttempts}); retrying in {Backoff}.")]
    public static partial void Retrying(ILogger log, int consumerId, string item, int attempt, int maxAttempts, TimeSpan backoff, Exception error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Consumer {ConsumerId} gave up on <{Item}> after attempt {Attempts}; it is dead-lettered.")]
    public static partial void GaveUp(ILogger log, int consumerId, string item, int attempts, Exception error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Consumer {ConsumerId}: the handler failed <{Item}> permanently on attempt {Attempts}; it is dead-lettered without a retry.")]
    public static partial void FailedPermanently(ILogger log, int consumerId, string item, int attempts, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consumer {ConsumerId}: the coordinator refused task_done for delivery {DeliveryId}: {Reason}")]
    public static partial void TaskDoneRejected(ILogger log, int consumerId, long deliveryId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Consumer {ConsumerId} finished: the queue is shut down and empty.")]
    public static partial void QueueShutDown(ILogger log, int consumerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consumer {Consumer} stopped unexpectedly; starting {Replacement} in its place.")]
    public static partial void Replacing(ILogger log, string consumer, string replacement);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consumers dropped an unexpected {MessageType} from {Sender}.")]
    public static partial void UnexpectedMessage(ILogger log, string messageType, string sender);

    [LoggerMessage(Level = LogLevel.Error, Message = "Consumer {ConsumerId}: attempt {Attempt} on <{Item}> ran longer than Pipeline:Consumers:HandlerTimeout ({HandlerTimeout}); it is cancelled and counts as a failure, and the item's lease is no longer renewed.")]
    public static partial void HandlerOverran(ILogger log, int consumerId, string item, int attempt, TimeSpan handlerTimeout);
}
