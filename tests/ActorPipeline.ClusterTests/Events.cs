using System.Text.Json;
using ActorPipeline.Tests.Host;

namespace ActorPipeline.ClusterTests;

/// <summary>Reads a node's compact-JSON log the way an operator would grep it (the templates are the in-process specs' <see cref="Templates"/>).</summary>
internal static class Events
{

    public static IEnumerable<JsonElement> WithTemplate(this HostProcess node, string template) =>
        node.Stdout.Select(TryParse).Where(e => e is { } json && json.TryGetProperty("@mt", out var mt) && mt.GetString() == template).Select(e => e!.Value);

    public static List<string> Items(this HostProcess node, string template) =>
        [.. node.WithTemplate(template).Select(e => e.GetProperty("Item").GetString()!)];

    public static long Count(this JsonElement summary, string property) => summary.GetProperty(property).GetInt64();

    public static JsonElement Summary(this HostProcess node) => Assert.Single(node.WithTemplate(Templates.Summary));

    public static int Lines(this HostProcess node, string fragment) => node.Stdout.Count(l => l.Contains(fragment, StringComparison.Ordinal));

    private static JsonElement? TryParse(string line)
    {
        try
        {
            return JsonDocument.Parse(line).RootElement;
        }
        catch (JsonException)
        {
            return null; // Akka prints a last line or two itself after logging has closed
        }
    }
}
