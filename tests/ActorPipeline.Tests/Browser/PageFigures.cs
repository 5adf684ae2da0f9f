using System.Globalization;
using System.Text.Json;

namespace ActorPipeline.Tests.Browser;

/// <summary>What the operator's page shows at one moment, read from its DOM the way a person reads it: the text.</summary>
internal sealed record PageFigures(
    IReadOnlyDictionary<string, string> Fields,
    long Sequence,
    string Connection,
    IReadOnlyList<string[]> Consumers,
    IReadOnlyList<string[]> Producers,
    IReadOnlyList<string[]> DeadLetters,
    string RequeueResult,
    bool JobsShown,
    IReadOnlyList<string[]> Jobs,
    IReadOnlyList<string[]> SettledJobs,
    IReadOnlyList<string[]> JobDeadLetters)
{
    /// <summary>Every field with a data-field attribute, each table's rows as cell texts, and the page's own markers.</summary>
    public const string Script = """
        JSON.stringify({
          fields: Object.fromEntries([...document.querySelectorAll('[data-field]')].map(e => [e.dataset.field, e.textContent])),
          sequence: Number(document.body.dataset.sequence ?? 0),
          connection: document.body.dataset.connection ?? '',
          consumers: [...document.querySelectorAll('#consumers tbody tr')].map(tr => [...tr.cells].map(c => c.textContent)),
          producers: [...document.querySelectorAll('#producers tbody tr')].map(tr => [...tr.cells].map(c => c.textContent)),
          deadLetters: [...document.querySelectorAll('#dead-letters tbody tr')].map(tr => [...tr.cells].map(c => c.textContent)),
          requeueResult: document.getElementById('requeue-result').textContent,
          jobsShown: !document.getElementById('jobs-section').hidden,
          jobs: [...document.querySelectorAll('#jobs tbody tr')].map(tr => [...tr.cells].map(c => c.textContent)),
          settledJobs: [...document.querySelectorAll('#settled-jobs tbody tr')].map(tr => [...tr.cells].map(c => c.textContent)),
          jobDeadLetters: [...document.querySelectorAll('#job-dead-letters tbody tr')].map(tr => [...tr.cells].map(c => c.textContent))
        })
        """;

    public static async Task<PageFigures> ReadAsync(BrowserPage page, CancellationToken cancellationToken)
    {
        var json = (await page.EvaluateAsync(Script, cancellationToken)).GetString()!;
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return new PageFigures(
            root.GetProperty("fields").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? ""),
            root.GetProperty("sequence").GetInt64(),
            root.GetProperty("connection").GetString() ?? "",
            Rows(root.GetProperty("consumers")),
            Rows(root.GetProperty("producers")),
            Rows(root.GetProperty("deadLetters")),
            root.GetProperty("requeueResult").GetString() ?? "",
            root.GetProperty("jobsShown").GetBoolean(),
            Rows(root.GetProperty("jobs")),
            Rows(root.GetProperty("settledJobs")),
            Rows(root.GetProperty("jobDeadLetters")));
    }

    /// <summary>A whole number as the page prints it ("1,234").</summary>
    public long Number(string field) => Parse(Fields[field], field);

    public static long Parse(string text, string what) =>
        long.TryParse(text.Replace(",", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"the page shows '{text}' for {what}, not a whole number");

    private static List<string[]> Rows(JsonElement rows) =>
        [.. rows.EnumerateArray().Select(row => row.EnumerateArray().Select(cell => cell.GetString() ?? "").ToArray())];
}
