namespace ActorPipeline;

/// <summary>No job has this id: it was never opened, or it was settled and forgotten past its retention (<c>Pipeline:Jobs:Retention</c>).</summary>
public sealed class JobNotFoundException : Exception
{
    /// <summary>Says that no job has <paramref name="jobId"/>.</summary>
    /// <param name="jobId">The id asked for.</param>
    public JobNotFoundException(string jobId)
        : base($"No job has the id '{jobId}': it was never opened, or it was settled and forgotten past its retention (Pipeline:Jobs:Retention).")
    {
        JobId = jobId;
    }

    /// <summary>The id asked for.</summary>
    public string JobId { get; }
}
