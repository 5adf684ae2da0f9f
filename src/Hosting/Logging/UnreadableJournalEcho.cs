using System.Runtime.Serialization;
using Serilog.Events;

namespace ActorPipeline.Hosting.Logging;

/// <summary>
/// Akka's journal stream reports a row it cannot read as an error with the whole stack trace, just before the
/// coordinator says the same once, with what to do about it (its Fatal "cannot recover the queue" line). Only
/// that echo is picked out for the log filter: the stream's failure whose cause is data that would not deserialize.
/// </summary>
internal static class UnreadableJournalEcho
{
    private const string StreamStageFailed = "An exception occured inside SelectAsync while executing Task. Supervision strategy: {0}";

    public static bool IsEcho(LogEvent e)
    {
        if (e.Level != LogEventLevel.Error || e.Exception is null || e.MessageTemplate.Text != StreamStageFailed)
        {
            return false;
        }

        for (var error = e.Exception; error is not null; error = error.InnerException)
        {
            if (error is SerializationException) // an AggregateException's InnerException is its first
            {
                return true;
            }
        }

        return false;
    }
}
