using ActorPipeline.Coordinator.Protocol;
using ActorPipeline.Hosting.Pipeline;
using Akka.Actor;
using static ActorPipeline.Coordinator.Protocol.JobProtocol;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Hosting.Jobs;

/// <summary>
/// The library's jobs client (<see cref="IPipelineJobs"/>): job commands and puts as messages to the coordinator,
/// each resent with the same content until it is answered. A put is a producer of its own, numbered from 1, with one
/// batch in flight: the coordinator deduplicates a producer's puts by their highest accepted number, so a later
/// batch accepted before an earlier one's resend would swallow that resend.
/// </summary>
internal sealed class PipelineJobs(
    Func<CancellationToken, Task<IActorRef>> coordinator, PipelineParts parts, JobClientSettings settings, TimeProvider time) : IPipelineJobs
{
    public const int MaxKeyLength = 100;

    public PipelineParts Parts => parts;

    public JobClientSettings Settings => settings;

    public async Task<PipelineJob> OpenAsync(string name, JobOpenOptions? options = null, CancellationToken cancellationToken = default) =>
        (await OpenWithReportAsync(name, options, cancellationToken)).Job;

    /// <summary>Opens a job and returns it with its report, which the HTTP API answers with.</summary>
    public async Task<(PipelineJob Job, JobReport Report)> OpenWithReportAsync(string name, JobOpenOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        var id = options?.Id ?? JobIds.New();
        var weight = options?.Weight ?? 1;
        if (JobIds.NameProblem(name) is { } nameProblem)
        {
            throw new ArgumentException($"'{name}' cannot be a job's name: {nameProblem}.", nameof(name));
        }

        if (JobIds.Problem(id) is { } idProblem)
        {
            throw new ArgumentException($"'{id}' cannot be a job's id: {idProblem}.", nameof(options));
        }

        if (weight is < 1 or > 100)
        {
            throw new ArgumentException($"A job's weight is 1 to 100, not {weight}.", nameof(options));
        }

        var report = await CommandAsync(id, new OpenJob(id, name, weight), settings.MaxWait, cancellationToken);
        return (new PipelineJob(this, report.Id, report.Name), report);
    }

    public PipelineJob Attach(string jobId)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        if (JobIds.Problem(jobId) is { } problem)
        {
            throw new ArgumentException($"'{jobId}' is not a job id: {problem}.", nameof(jobId));
        }

        return new PipelineJob(this, jobId, null);
    }

    public async Task<IReadOnlyList<JobReport>> ListAsync(CancellationToken cancellationToken = default)
    {
        var reply = await AskAsync(GetJobs.Instance, settings.MaxWait, cancellationToken);
        var now = time.GetUtcNow();
        return reply is JobList list
            ? [.. list.Jobs.Select(j => JobReports.From(j, parts.Formatter, now))]
            : throw Unexpected(reply, "the list of jobs");
    }

    public Task<JobReport> CloseAsync(string jobId, CancellationToken cancellationToken) =>
        CommandAsync(jobId, new CloseJob(jobId), settings.MaxWait, cancellationToken);

    public Task<JobReport> JoinAsync(string jobId, CancellationToken cancellationToken) =>
        CommandAsync(jobId, new JoinJob(jobId), settings.JoinWait, cancellationToken);

    public Task<JobReport> CancelAsync(string jobId, string? requestedBy, CancellationToken cancellationToken) =>
        CommandAsync(jobId, new CancelJob(jobId, requestedBy ?? $"the jobs client on node {settings.Node}"), settings.MaxWait, cancellationToken);

    public Task<JobReport> GetReportAsync(string jobId, CancellationToken cancellationToken) =>
        CommandAsync(jobId, new GetJob(jobId), settings.MaxWait, cancellationToken);

    /// <summary>Why <paramref name="key"/> cannot be an idempotency key, or null if it can.</summary>
    public static string? KeyProblem(string key)
    {
        if (key.Length is 0 or > MaxKeyLength)
        {
            return $"an idempotency key has 1 to {MaxKeyLength} characters";
        }

        return key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or ':')
            ? null
            : "an idempotency key has only letters, digits, '_', '-', '.' and ':'";
    }

    /// <summary>The producer id a put goes under: the key's, so that a repeated call adds nothing twice, or a fresh one.</summary>
    public static string ProducerIdFor(string jobId, string? key) => key is null ? $"{jobId}/c-{Guid.NewGuid():N}" : $"{jobId}/{key}";

    /// <summary>
    /// The one put path (the client's typed puts and the HTTP API's): cuts the payloads into batches, numbered 1, 2, …
    /// under the key's producer id, and puts them one at a time, each resent until it is answered.
    /// </summary>
    public async Task<long> PutAsync(string jobId, IEnumerable<ReadOnlyMemory<byte>> payloads, string? idempotencyKey, CancellationToken cancellationToken)
    {
        if (idempotencyKey is not null && KeyProblem(idempotencyKey) is { } problem)
        {
            throw new ArgumentException($"'{idempotencyKey}' cannot be an idempotency key: {problem}.", nameof(idempotencyKey));
        }

        var producerId = ProducerIdFor(jobId, idempotencyKey);
        long accepted = 0;
        long sequenceNr = 0;
        var batch = new List<ReadOnlyMemory<byte>>();
        long bytes = 0;
        foreach (var payload in payloads)
        {
            if (payload.Length > settings.MaxItemBytes)
            {
                throw new JobPutRejectedException(
                    jobId, JobPutRefusal.ItemTooLarge, accepted,
                    $"Item {accepted + batch.Count} is {payload.Length} bytes encoded, more than Pipeline:Queue:MaxItemBytes ({settings.MaxItemBytes}): it was not put into job '{jobId}', nor were the items after it; the {accepted} items before its batch were.");
            }

            var size = payload.Length + (long)QueueOptions.PerItemOverheadBytes;
            if (batch.Count > 0 && (batch.Count >= settings.MaxItems || bytes + size > settings.MaxPutBytes))
            {
                accepted += await PutBatchAsync(jobId, producerId, ++sequenceNr, batch, accepted, cancellationToken);
                batch = [];
                bytes = 0;
            }

            batch.Add(payload);
            bytes += size;
        }

        if (batch.Count > 0)
        {
            accepted += await PutBatchAsync(jobId, producerId, ++sequenceNr, batch, accepted, cancellationToken);
        }

        return accepted;
    }

    private async Task<long> PutBatchAsync(
        string jobId, string producerId, long sequenceNr, List<ReadOnlyMemory<byte>> batch, long acceptedBefore, CancellationToken cancellationToken)
    {
        var putAt = time.GetUtcNow().UtcDateTime;
        var put = new Put(producerId, sequenceNr, [.. batch.Select(p => new QueueItem(p, putAt))], Wait: true, Job: jobId);
        var reply = await AskAsync(put, settings.MaxWait, cancellationToken);
        return reply switch
        {
            PutAccepted accepted when accepted.ProducerId == producerId && accepted.SequenceNr == sequenceNr => batch.Count,
            PutRejected { Reason: PutRejection.NoSuchJob } => throw new JobNotFoundException(jobId),
            PutRejected rejected => throw Refused(jobId, rejected, acceptedBefore),
            _ => throw Unexpected(reply, $"put {sequenceNr} of {producerId}"),
        };
    }

    private static JobPutRejectedException Refused(string jobId, PutRejected rejected, long acceptedBefore)
    {
        var accepted = acceptedBefore + rejected.Accepted;
        var (reason, why) = rejected.Reason switch
        {
            PutRejection.JobClosed or PutRejection.RunOver or PutRejection.RunEnded => (JobPutRefusal.JobClosed, $"job '{jobId}' is closed for adding"),
            PutRejection.TooLarge => (JobPutRefusal.ItemTooLarge, "an item is larger than Pipeline:Queue:MaxItemBytes"),
            PutRejection.ShutDown => (JobPutRefusal.ShutDown, "the queue is shut down"),
            _ => (JobPutRefusal.Other, $"the queue refused it ({rejected.Reason})"),
        };
        return new JobPutRejectedException(jobId, reason, accepted, $"The put into job '{jobId}' was refused: {why}. {accepted} of its items were accepted before; the rest were not put.");
    }

    private async Task<JobReport> CommandAsync(string jobId, object command, TimeSpan wait, CancellationToken cancellationToken)
    {
        var reply = await AskAsync(command, wait, cancellationToken);
        return reply switch
        {
            JobStatus status => JobReports.From(status, parts.Formatter, time.GetUtcNow()),
            JobUnknown => throw new JobNotFoundException(jobId),
            JobRefused refused => throw new ArgumentException($"Job '{jobId}': {refused.Reason}."),
            _ => throw Unexpected(reply, $"{command.GetType().Name} of job '{jobId}'"),
        };
    }

    /// <summary>
    /// Asks the coordinator, sending the same message again whenever an attempt is not answered in time (the wait
    /// doubles from <see cref="JobClientSettings.FirstWait"/> up to <paramref name="maxWait"/>), until it is answered
    /// or the token is cancelled: every message asked this way is idempotent.
    /// </summary>
    private async Task<object> AskAsync(object message, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var target = await coordinator(cancellationToken);
        var wait = TimeSpan.FromTicks(Math.Min(settings.FirstWait.Ticks, maxWait.Ticks));
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return await target.Ask<object>(message, wait, cancellationToken);
            }
            catch (AskTimeoutException)
            {
                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, maxWait.Ticks));
            }
        }
    }

    private static InvalidOperationException Unexpected(object reply, string asked) =>
        new($"The coordinator answered {asked} with {reply.GetType().Name}, which this client does not expect: are all nodes of one version?");
}
