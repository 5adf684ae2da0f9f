using System.ComponentModel.DataAnnotations;
using System.Net;
using ActorPipeline.Hosting.Configuration;

namespace ActorPipeline.Hosting.Operations;

/// <summary>What an operator can watch from outside. Bound from <c>Operations</c>.</summary>
/// <remarks>
/// Until health, metrics and the page shared one server each had a port of its own (and the page an address of its own).
/// Those keys are refused by name rather than taken as aliases: three ports cannot become one without a choice the user
/// should make, and a key that is silently ignored would leave an endpoint off that its user thinks is on.
/// </remarks>
[RetiredSetting("HealthPort", "health, metrics and the page now share one server: set Operations:HealthEnabled = true and Operations:HttpPort to the port (or remove the key to leave health off)")]
[RetiredSetting("MetricsPort", "health, metrics and the page now share one server: set Operations:MetricsEnabled = true and Operations:HttpPort to the port (or remove the key to leave metrics off)")]
[RetiredSetting("DashboardPort", "health, metrics and the page now share one server: set Operations:DashboardEnabled = true and Operations:HttpPort to the port (or remove the key to leave the page off)")]
[RetiredSetting("DashboardHost", "health, metrics and the page now share one server: set Operations:HttpHost instead")]
internal sealed class OperationsOptions : IValidatableObject
{
    public const string SectionName = "Operations";

    /// <summary>Shorter tokens are refused: the token is all that stands between the network and a requeue.</summary>
    public const int MinimumTokenLength = 16;

    /// <summary>
    /// Port of the node's one HTTP server, which serves whichever of health, metrics and the operator's page are on;
    /// with none on, no server is started and this port is not opened.
    /// </summary>
    /// <value>Default 8080; compose sets it on every node.</value>
    [Range(1, 65535)]
    public int HttpPort { get; set; } = 8080;

    /// <summary>The address the node's HTTP server listens on: one for health, metrics and the page alike.</summary>
    /// <value>
    /// Default 127.0.0.1, this machine only; compose and any other orchestrator that probes or scrapes from outside set 0.0.0.0.
    /// </value>
    [Required]
    public string HttpHost { get; set; } = "127.0.0.1";

    /// <summary>Serve <c>/health/live</c> and <c>/health/ready</c> on <see cref="HttpPort"/>.</summary>
    /// <value>Default false; compose turns it on for its healthchecks.</value>
    public bool HealthEnabled { get; set; }

    /// <summary>Serve the Prometheus scrape endpoint <c>/metrics</c> on <see cref="HttpPort"/>.</summary>
    /// <value>Default false: without it no metrics are collected at all.</value>
    public bool MetricsEnabled { get; set; }

    /// <summary>Serve the operator's page and its API (<c>/</c>, <c>/api/...</c>) on <see cref="HttpPort"/>.</summary>
    /// <value>Default false; compose turns it on for its coordinator.</value>
    public bool DashboardEnabled { get; set; }

    /// <summary>
    /// Serve the jobs API (<c>/api/jobs</c>) on <see cref="HttpPort"/>: open jobs, put items, close, cancel, join, read
    /// reports. Changes need <see cref="DashboardToken"/>, as the page's actions do.
    /// </summary>
    /// <value>
    /// Default unset: on in a service (<c>Pipeline:Mode=Service</c>) whose HTTP server runs for health, metrics or the
    /// page, off otherwise; true serves it (and starts the server) in either mode, false never.
    /// </value>
    public bool? JobsApiEnabled { get; set; }

    /// <summary>Whether the node starts its HTTP server for health, metrics or the page (the jobs API may start it too).</summary>
    public bool HttpEnabled => HealthEnabled || MetricsEnabled || DashboardEnabled;

    /// <summary>Bearer token that allows requeueing dead letters from the page; without one the page is read-only.</summary>
    public string? DashboardToken { get; set; }

    /// <summary>A file holding the token (a compose secret), instead of <see cref="DashboardToken"/>; its trailing line break is ignored.</summary>
    public string? DashboardTokenFile { get; set; }

    /// <summary>How often the page's figures are read from the coordinator.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan DashboardSampleInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How far back the page's charts reach.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan DashboardHistory { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The token to require for a requeue, read from <see cref="DashboardTokenFile"/> when one is set; null when none is set.</summary>
    public string? EffectiveDashboardToken =>
        DashboardTokenFile is { Length: > 0 } file ? SecretFile.Read(file)
        : DashboardToken is { Length: > 0 } token ? token
        : null;

    /// <summary>Most chart points a page holds (history over interval): a page must load in moments and draw in milliseconds.</summary>
    public const int MaxChartPoints = 20_000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (DashboardSampleInterval > TimeSpan.Zero && DashboardHistory / DashboardSampleInterval > MaxChartPoints)
        {
            yield return new ValidationResult(
                $"keeps {DashboardHistory / DashboardSampleInterval:0} chart points at one per {DashboardSampleInterval}; at most {MaxChartPoints} (shorten it or sample less often).",
                [nameof(DashboardHistory)]);
        }

        if (!IPAddress.TryParse(HttpHost, out _))
        {
            yield return new ValidationResult("is not an IP address (127.0.0.1 for this machine only, 0.0.0.0 for every interface).", [nameof(HttpHost)]);
        }

        if (SecretFile.BothGiven(DashboardToken, DashboardTokenFile, nameof(DashboardToken), nameof(DashboardTokenFile)) is { } both)
        {
            yield return both;
            yield break;
        }

        var (token, unreadable) = ReadToken();
        if (unreadable is not null)
        {
            yield return new ValidationResult(unreadable, [nameof(DashboardTokenFile)]);
        }
        else if (token is { Length: 0 })
        {
            yield return new ValidationResult($"'{DashboardTokenFile}' is empty.", [nameof(DashboardTokenFile)]);
        }
        else if (token is not null && token.Length < MinimumTokenLength)
        {
            var key = string.IsNullOrEmpty(DashboardTokenFile) ? nameof(DashboardToken) : nameof(DashboardTokenFile);
            yield return new ValidationResult($"the token must be at least {MinimumTokenLength} characters long.", [key]);
        }
    }

    private (string? Token, string? Problem) ReadToken()
    {
        try
        {
            return (EffectiveDashboardToken, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"cannot read '{DashboardTokenFile}': {e.Message}");
        }
    }
}
