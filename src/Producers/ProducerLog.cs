using Microsoft.Extensions.Logging;

namespace ActorPipeline.Producers;

/// <summary>The producers' log events; the first two keep the seed's wording exactly.</summary>
internal static partial class ProducerLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Producer {ProducerId} added <{Item}> to queue.")]
    public static partial void Added(ILogger log, int producerId, string item);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Producer {ProducerId}: the queue refused its put ({Reason}; items: {Count}); it stops producing.")]
    public static partial void Rejected(ILogger log, int producerId, int count, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Producer {ProducerId}: the queue refused item <{Item}> ({Bytes} bytes): larger than its item limit. The item is not in the queue; the producer goes on with the next.")]
    public static partial void TooLarge(ILogger log, int producerId, string item, int bytes);

    [LoggerMessage(Level = LogLevel.Error, Message = "Producer {ProducerId}: its item source failed; it stops producing.")]
    public static partial void SourceFailed(ILogger log, int producerId, Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Producer {ProducerId} resumes after its put {SequenceNr}, which the queue already holds.")]
    public static partial void Resuming(ILogger log, int producerId, long sequenceNr);

    [LoggerMessage(Level = LogLevel.Information, Message = "Producer {ProducerId} finished; items added: {Added}.")]
    public static partial void Finished(ILogger log, int producerId, long added);

    [LoggerMessage(Level = LogLevel.Information, Message = "Producer {ProducerId} stopped before its source ended; items added: {Added}. It is not done: started again, it resumes after them.")]
    public static partial void StoppedEarly(ILogger log, int producerId, long added);

    [LoggerMessage(Level = LogLevel.Error, Message = "Producer {Producer} stopped without finishing; the items it had not put are lost to this run.")]
    public static partial void Crashed(ILogger log, string producer);

    [LoggerMessage(Level = LogLevel.Error, Message = "Producer {ProducerId}: item <{Item}> was not added to the queue: the run was already over (this node came back too late); the producer stops.")]
    public static partial void RunOver(ILogger log, int producerId, string item);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Producers dropped an unexpected {MessageType} from {Sender}.")]
    public static partial void UnexpectedMessage(ILogger log, string messageType, string sender);
}
