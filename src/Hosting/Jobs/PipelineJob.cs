using ActorPipeline.Hosting.Jobs;
using ActorPipeline.Hosting.Pipeline;

namespace ActorPipeline;

/// <summary>
/// One job of the pipeline (see <see cref="IPipelineJobs"/>): put items into it, close it, join it, cancel it, read
/// its report. Every call is resent until the coordinator answers or the token is cancelled; every answer that says
/// something happened comes once the coordinator has stored it.
/// </summary>
public sealed class PipelineJob
{
    private readonly PipelineJobs _jobs;

    internal PipelineJob(PipelineJobs jobs, string id, string? name)
    {
        _jobs = jobs;
        Id = id;
        Name = name;
    }

    /// <summary>The job's id: what URLs, log lines and <see cref="IPipelineJobs.Attach"/> name it by.</summary>
    public string Id { get; }

    /// <summary>The name it was opened with; null for a job attached by id (its reports carry the name).</summary>
    public string? Name { get; }

    /// <summary>
    /// Puts items into the job and returns once the queue has stored every one of them. They travel in batches cut
    /// like the producers' puts (<c>Pipeline:Producers:MaxPutBytes</c>, at most <c>Pipeline:Queue:MaxDeliveryBatch</c>
    /// items), one batch at a time: a full queue slows the call down instead of piling items up in memory.
    /// </summary>
    /// <remarks>
    /// <para>
    /// With <paramref name="idempotencyKey"/> the call is deduplicated: its batches are numbered 1, 2, … under the
    /// producer id <c>{jobId}/{idempotencyKey}</c>, so the same call made again with the same key and the same items (after a
    /// timeout, or from another process after a crash) adds nothing twice. The same key must mean the same items.
    /// Batches are cut by <c>Pipeline:Producers:MaxPutBytes</c> and <c>Pipeline:Queue:MaxDeliveryBatch</c>, so a repeat
    /// from another process deduplicates exactly when those settings are the same there.
    /// Without a key every call is a producer of its own and a repeated call adds its items again.
    /// </para>
    /// <para>A batch the coordinator does not answer in time is sent again with the same number, so it is added once.</para>
    /// </remarks>
    /// <typeparam name="T">The pipeline's item type (the source's and handler's).</typeparam>
    /// <param name="items">The items, in the order they are to be queued.</param>
    /// <param name="idempotencyKey">1 to 100 letters, digits, <c>_</c>, <c>-</c>, <c>.</c> or <c>:</c>; null for none.</param>
    /// <param name="cancellationToken">Stops the call; batches already answered stay in the job, the one on its way may be added.</param>
    /// <returns>How many items the call put (all of them).</returns>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> is not the pipeline's item type.</exception>
    /// <exception cref="ArgumentException">An item is null, or the key is not valid.</exception>
    /// <exception cref="JobNotFoundException">No job has this id.</exception>
    /// <exception cref="JobPutRejectedException">The job is closed, an item is too large, or the queue is shut down.</exception>
    public Task<long> PutAsync<T>(IEnumerable<T> items, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (_jobs.Parts is not PipelineParts<T> typed)
        {
            throw new InvalidOperationException(
                $"The pipeline's items are {_jobs.Parts.ItemType.Name}, not {typeof(T).Name}: put items of the type its source yields and its handler takes.");
        }

        return _jobs.PutAsync(Id, Encode(items, typed), idempotencyKey, cancellationToken);
    }

    /// <summary>Closes the job for adding; it is settled once the items accepted into it are. Answered at once if it was closed already.</summary>
    /// <param name="cancellationToken">Stops waiting (the job may still be closed).</param>
    /// <returns>Its report once the close is stored.</returns>
    /// <exception cref="JobNotFoundException">No job has this id.</exception>
    public Task<JobReport> CloseAsync(CancellationToken cancellationToken = default) => _jobs.CloseAsync(Id, cancellationToken);

    /// <summary>
    /// Waits until the job is settled: closed, and every item accepted into it completed, dead-lettered or discarded
    /// (asyncio's <c>join</c>, per job). A job that is never closed is never settled.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>Its report once it is settled, dead letters included.</returns>
    /// <exception cref="JobNotFoundException">No job has this id.</exception>
    public Task<JobReport> JoinAsync(CancellationToken cancellationToken = default) => _jobs.JoinAsync(Id, cancellationToken);

    /// <summary>
    /// Cancels the job: its queued and in-flight items are discarded (and counted), puts into it are refused, and it is
    /// settled at once. A settled job is not changed.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting (the job may still be cancelled).</param>
    /// <returns>Its report once the cancel is stored.</returns>
    /// <exception cref="JobNotFoundException">No job has this id.</exception>
    public Task<JobReport> CancelAsync(CancellationToken cancellationToken = default) => _jobs.CancelAsync(Id, null, cancellationToken);

    /// <summary>The job as it is now, dead letters included.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>Its report.</returns>
    /// <exception cref="JobNotFoundException">No job has this id.</exception>
    public Task<JobReport> GetReportAsync(CancellationToken cancellationToken = default) => _jobs.GetReportAsync(Id, cancellationToken);

    /// <inheritdoc />
    public override string ToString() => Name is null ? Id : $"{Id} ({Name})";

    private static IEnumerable<ReadOnlyMemory<byte>> Encode<T>(IEnumerable<T> items, PipelineParts<T> parts)
    {
        var index = 0;
        foreach (var item in items)
        {
            if (item is null)
            {
                throw new ArgumentException($"Item {index} is null: a job's items are values of the pipeline's item type.", nameof(items));
            }

            yield return parts.Codec.Encode(item);
            index++;
        }
    }
}
