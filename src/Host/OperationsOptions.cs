using System.ComponentModel.DataAnnotations;

namespace ActorPipeline.Host;

/// <summary>What an operator can watch from outside. Bound from <c>Operations</c>.</summary>
public sealed class OperationsOptions
{
    public const string SectionName = "Operations";

    /// <summary>Port of the Prometheus scrape endpoint (<c>/metrics</c>, all interfaces); 0 turns it off.</summary>
    /// <value>Default 0 (off) for the embedded run; compose sets 9464.</value>
    [Range(0, 65535)]
    public int MetricsPort { get; set; }

    /// <summary>Port of <c>/health/live</c> and <c>/health/ready</c> (all interfaces); 0 turns them off.</summary>
    /// <value>Default 0 (off) for the embedded run; compose sets 8081.</value>
    [Range(0, 65535)]
    public int HealthPort { get; set; }
}
