namespace ActorPipeline;

/// <summary>How <see cref="IPipelineJobs.OpenAsync"/> opens a job.</summary>
public sealed class JobOpenOptions
{
    /// <summary>
    /// The job's id: 1 to 64 letters, digits, <c>_</c>, <c>-</c> or <c>.</c>. Give one to make the open itself
    /// idempotent (opening the same id with the same name again opens nothing twice, even from another process).
    /// </summary>
    /// <value>Default null: a fresh id (<c>j</c> and 16 hex digits).</value>
    public string? Id { get; set; }

    /// <summary>Items the job gets per turn when several jobs have items queued, from 1 to 100.</summary>
    /// <value>Default 1.</value>
    public int Weight { get; set; } = 1;
}
