namespace ActorPipeline;

/// <summary>
/// Jobs: named batches a service (<c>Pipeline:Mode=Service</c>) runs, each with an exact, durable join of its own.
/// Open a job, put items into it from anywhere, close it, and join it: the join returns once every item accepted
/// into the job is completed, dead-lettered or discarded. A singleton that <see cref="ActorPipelineServiceCollectionExtensions.AddActorPipeline"/>
/// registers on every node; every call reaches the cluster's coordinator and is resent until it is answered (so a
/// coordinator moving to another node costs time, not correctness) or the caller's token is cancelled.
/// </summary>
/// <example>
/// <code>
/// var job = await jobs.OpenAsync("nightly import", cancellationToken: ct);
/// await job.PutAsync(records, idempotencyKey: "import-2026-12-07", ct);
/// await job.CloseAsync(ct);
/// var report = await job.JoinAsync(ct);   // report.Completed, report.DeadLetters, ...
/// </code>
/// </example>
public interface IPipelineJobs
{
    /// <summary>Opens a job, answered once the coordinator has stored it.</summary>
    /// <param name="name">What people call it: 1 to 200 characters, not only spaces.</param>
    /// <param name="options">Its id (a fresh one unless given) and weight.</param>
    /// <param name="cancellationToken">Stops waiting (the job may still be opened).</param>
    /// <returns>The job, to put into, close and join.</returns>
    /// <exception cref="ArgumentException">The name, id or weight is not valid, or the id is open under another name.</exception>
    Task<PipelineJob> OpenAsync(string name, JobOpenOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// A job opened before (by this process or another), by its id, without asking the coordinator: a job that does
    /// not exist shows as <see cref="JobNotFoundException"/> at its first use.
    /// </summary>
    /// <param name="jobId">The job's id.</param>
    /// <returns>The job; its <see cref="PipelineJob.Name"/> is null (its reports carry it).</returns>
    /// <exception cref="ArgumentException"><paramref name="jobId"/> is no valid job id.</exception>
    PipelineJob Attach(string jobId);

    /// <summary>Every job the coordinator remembers, newest first, without their dead letters.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>Their reports.</returns>
    Task<IReadOnlyList<JobReport>> ListAsync(CancellationToken cancellationToken = default);
}
