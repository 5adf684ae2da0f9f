using Serilog.Events;

namespace ActorPipeline.Tests.Fakes;

internal static class LogEventExtensions
{
    public static bool Is(this LogEvent logEvent, string template) => logEvent.MessageTemplate.Text == template;

    /// <summary>A scalar property's value, as logged.</summary>
    public static object? Property(this LogEvent logEvent, string name) =>
        logEvent.Properties.TryGetValue(name, out var value) && value is ScalarValue scalar ? scalar.Value : null;

    /// <summary>Indexes of the events with this template.</summary>
    public static List<int> IndexesOf(this IReadOnlyList<LogEvent> events, string template) =>
        [.. events.Select((e, i) => (e, i)).Where(x => x.e.Is(template)).Select(x => x.i)];
}
