using Microsoft.Extensions.Logging;

namespace ActorPipeline.Tests.CoordinatorRules;

/// <summary>An <see cref="ILogger"/> (of the coordinator, whose props ask for that type) that keeps every event's level and rendered message, for specs that read what was logged.</summary>
internal sealed class ListLogger : ILogger<CoordinatorActor>
{
    private readonly List<(LogLevel Level, string Message)> _events = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<(LogLevel Level, string Message)> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_gate)
        {
            _events.Add((logLevel, formatter(state, exception)));
        }
    }
}
