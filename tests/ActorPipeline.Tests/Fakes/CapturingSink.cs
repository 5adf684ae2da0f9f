using Serilog.Core;
using Serilog.Events;

namespace ActorPipeline.Tests.Fakes;

/// <summary>Keeps every Serilog event in the order it was emitted, for specs that read the log as a user would.</summary>
internal sealed class CapturingSink : ILogEventSink
{
    private readonly List<LogEvent> _events = [];
    private readonly Lock _gate = new();

    public void Emit(LogEvent logEvent)
    {
        lock (_gate)
        {
            _events.Add(logEvent);
        }
    }

    public IReadOnlyList<LogEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    public int Count(string template) => Events.Count(e => e.MessageTemplate.Text == template);
}
