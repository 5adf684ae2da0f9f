using System.ComponentModel.DataAnnotations;

namespace ActorPipeline.Hosting.Running;

/// <summary>What a stop request (SIGTERM, Ctrl-C) mid-run may wait for. Bound from <c>Pipeline:Drain</c>.</summary>
internal sealed class DrainOptions
{
    /// <summary>How long producers' last puts and the join may take after a stop request before consumers are cancelled anyway.</summary>
    /// <value>Default 30 s.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
