namespace ActorPipeline;

/// <summary>
/// The queue refused a put into a job. The items accepted before the refusal (<see cref="ItemsAccepted"/>, in the
/// order given) stay in the job; the rest were not put.
/// </summary>
public sealed class JobPutRejectedException : Exception
{
    /// <summary>Says that a put into <paramref name="jobId"/> was refused and why.</summary>
    /// <param name="jobId">The job.</param>
    /// <param name="reason">Why.</param>
    /// <param name="itemsAccepted">Items of the call accepted before the refusal.</param>
    /// <param name="message">What to tell the caller.</param>
    public JobPutRejectedException(string jobId, JobPutRefusal reason, long itemsAccepted, string message)
        : base(message)
    {
        JobId = jobId;
        Reason = reason;
        ItemsAccepted = itemsAccepted;
    }

    /// <summary>The job.</summary>
    public string JobId { get; }

    /// <summary>Why the put was refused.</summary>
    public JobPutRefusal Reason { get; }

    /// <summary>Items of the call accepted before the refusal; they stay in the job.</summary>
    public long ItemsAccepted { get; }
}
