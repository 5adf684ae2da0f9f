using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ActorPipeline.Tests.Host;

/// <summary>The coordinator's status as GET /health/ready reports it (its own GetStatus ask, not the dashboard's).</summary>
internal sealed partial record HealthReading(long Accepted, long Unfinished, long Completed)
{
    public static async Task<HealthReading> ReadAsync(HttpClient http, int healthPort, CancellationToken cancellationToken)
    {
        var body = await http.GetStringAsync(new Uri($"http://127.0.0.1:{healthPort}/health/ready"), cancellationToken);
        using var document = JsonDocument.Parse(body);
        var description = document.RootElement.GetProperty("checks").GetProperty("coordinator").GetProperty("description").GetString() ?? "";
        var match = Description().Match(description);
        Assert.True(match.Success, $"the coordinator's health check says '{description}'");
        return new HealthReading(Group(match, 1), Group(match, 2), Group(match, 3));
    }

    private static long Group(Match match, int group) => long.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"coordinator answers: (\d+) accepted, (\d+) unfinished, (\d+) completed")]
    private static partial Regex Description();
}
