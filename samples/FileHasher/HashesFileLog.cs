using Microsoft.Extensions.Logging;

namespace ActorPipeline.Samples.FileHasher;

/// <summary>The results file's log events, source-generated like the library's own (one style of log call throughout).</summary>
internal static partial class HashesFileLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Item {ItemId} ({Path}) came again (delivery {DeliveryCount}); its line is written already.")]
    public static partial void CameAgain(ILogger log, long itemId, string path, int deliveryCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cut {Bytes} bytes from the end of {Output} that a stopped run wrote without recording their items; those items are written again.")]
    public static partial void CutUnrecorded(ILogger log, long bytes, string output);

    [LoggerMessage(Level = LogLevel.Information, Message = "Appending to {Output}, which holds {Count} hashes already; an item it holds is not written again.")]
    public static partial void Appending(ILogger log, string output, int count);
}
