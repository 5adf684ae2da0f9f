using System.ComponentModel.DataAnnotations;

namespace ActorPipeline.Coordinator.Hosting;

/// <summary>Jobs, the named batches a service runs. Bound from <c>Pipeline:Jobs</c>.</summary>
internal sealed class JobOptions
{
    public const string SectionName = "Pipeline:Jobs";

    /// <summary>How long, and how many, settled jobs are remembered (their reports and dead letters) before they are forgotten.</summary>
    [Required]
    public JobRetention Retention { get; set; } = new();
}
