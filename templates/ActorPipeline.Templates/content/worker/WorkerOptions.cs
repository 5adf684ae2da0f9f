using System.ComponentModel.DataAnnotations;

namespace ActorPipelineWorker;

/// <summary>This worker's settings, bound from the <c>Worker</c> section and validated at start-up.</summary>
public sealed class WorkerOptions
{
    public const string SectionName = "Worker";

    /// <summary>How many numbers a run factorises, shared among the producers of the node that reads them.</summary>
    [Range(0, 100_000_000)]
    public int Items { get; set; } = 100;

    /// <summary>The first number; item <c>i</c> is <c>FirstNumber + i</c>.</summary>
    [Range(2L, 1_000_000_000_000_000L)]
    public long FirstNumber { get; set; } = 1_000_000_000_000;

    /// <summary>Pause before each item a producer puts, as if items arrived over time; 0 puts them as fast as the queue takes them.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMilliseconds(100);
}
