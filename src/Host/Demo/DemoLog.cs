using Microsoft.Extensions.Logging;

namespace ActorPipeline.Host.Demo;

/// <summary>The seed's sleeping lines, which only its simulated work prints.</summary>
internal static partial class DemoLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Producer {ProducerId} sleeping for {Seconds} seconds.")]
    public static partial void ProducerSleeping(ILogger log, int producerId, double seconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Consumer {ConsumerId} sleeping for {Seconds} seconds.")]
    public static partial void ConsumerSleeping(ILogger log, int consumerId, double seconds);
}
