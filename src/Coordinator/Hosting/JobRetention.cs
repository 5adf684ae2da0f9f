using System.ComponentModel.DataAnnotations;

namespace ActorPipeline.Coordinator.Hosting;

/// <summary>
/// Settled jobs are kept for a while, so that a late join or a look at the page still finds their reports, and
/// then forgotten (journaled, so the snapshot holds the jobs that are live, not the service's whole history).
/// Bound from <c>Pipeline:Jobs:Retention</c>.
/// </summary>
internal sealed class JobRetention
{
    /// <summary>How long a settled job is remembered after it settled.</summary>
    /// <value>Default 1 day.</value>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan Time { get; set; } = TimeSpan.FromDays(1);

    /// <summary>At most this many settled jobs are remembered; the oldest settled are forgotten first.</summary>
    /// <value>Default 100.</value>
    [Range(0, 100_000)]
    public int Count { get; set; } = 100;
}
