using System.ComponentModel.DataAnnotations;
using System.Net;

namespace ActorPipeline.Hosting.Operations;

/// <summary>What an operator can watch from outside. Bound from <c>Operations</c>.</summary>
internal sealed class OperationsOptions : IValidatableObject
{
    public const string SectionName = "Operations";

    /// <summary>Shorter tokens are refused: the token is all that stands between the network and a requeue.</summary>
    public const int MinimumTokenLength = 16;

    /// <summary>Port of the Prometheus scrape endpoint (<c>/metrics</c>, all interfaces); 0 turns it off.</summary>
    /// <value>Default 0 (off) for the embedded run; compose sets 9464.</value>
    [Range(0, 65535)]
    public int MetricsPort { get; set; }

    /// <summary>Port of <c>/health/live</c> and <c>/health/ready</c> (all interfaces); 0 turns them off.</summary>
    /// <value>Default 0 (off) for the embedded run; compose sets 8081.</value>
    [Range(0, 65535)]
    public int HealthPort { get; set; }

    /// <summary>Port of the operator's page and its API (<c>/</c>, <c>/api/...</c>); 0 turns it off.</summary>
    /// <value>Default 0 (off) for the embedded run; compose sets 8080.</value>
    [Range(0, 65535)]
    public int DashboardPort { get; set; }

    /// <summary>The address the page listens on.</summary>
    /// <value>Default 127.0.0.1, this machine only; compose sets 0.0.0.0 and publishes it on the host's loopback only.</value>
    [Required]
    public string DashboardHost { get; set; } = "127.0.0.1";

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

        if (DashboardPort != 0 && (DashboardPort == HealthPort || DashboardPort == MetricsPort))
        {
            yield return new ValidationResult("is also the health or metrics port; each endpoint needs a port of its own.", [nameof(DashboardPort)]);
        }

        if (!IPAddress.TryParse(DashboardHost, out _))
        {
            yield return new ValidationResult("is not an IP address (127.0.0.1 for this machine only, 0.0.0.0 for every interface).", [nameof(DashboardHost)]);
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
