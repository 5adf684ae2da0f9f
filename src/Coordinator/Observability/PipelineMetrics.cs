using System.Diagnostics.Metrics;

namespace ActorPipeline.Coordinator.Observability;

/// <summary>
/// The service's instruments, meter <c>ActorPipeline</c>: counters the actors add to as things
/// happen (never during journal replay), gauges the coordinator keeps current, and the consumers'
/// latency histograms. Exported by OpenTelemetry's Prometheus exporter when enabled.
/// </summary>
internal sealed class PipelineMetrics : IDisposable
{
    public const string MeterName = "ActorPipeline";

    // From 50 µs (an in-process hand-over) to a minute (slow work); the default buckets are meant for milliseconds.
    private static readonly InstrumentAdvice<double> SecondsBuckets = new()
    {
        HistogramBucketBoundaries = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    };

    private readonly Meter _meter;
    private long _queueDepth;
    private long _unfinished;
    private long _oldestPutAtTicks; // 0: nothing waiting
    private long _consumers;
    private long _producers;
    private RunCounts _run = new(0, 0, 0, 0, 0, 0);
    private JobGauges _jobs = JobGauges.None;

    public PipelineMetrics(IMeterFactory? meters = null)
    {
        _meter = meters?.Create(MeterName) ?? new Meter(MeterName);
        Produced = _meter.CreateCounter<long>("actorpipeline.items.produced", "{item}", "Items this node's producers put and had accepted.");
        Accepted = _meter.CreateCounter<long>("actorpipeline.items.accepted", "{item}", "Items the coordinator accepted.");
        Delivered = _meter.CreateCounter<long>("actorpipeline.items.delivered", "{item}", "Deliveries made, redeliveries included.");
        Completed = _meter.CreateCounter<long>("actorpipeline.items.completed", "{item}", "Items marked done, each once.");
        Redelivered = _meter.CreateCounter<long>("actorpipeline.items.redelivered", "{item}", "Items queued again: handed back, timed out, or held by a consumer that stopped.");
        DuplicateAcks = _meter.CreateCounter<long>("actorpipeline.acks.duplicate", "{ack}", "task_done for items already completed, ignored.");
        DeadLettered = _meter.CreateCounter<long>("actorpipeline.items.dead_lettered", "{item}", "Items whose handler failed on every attempt.");
        Discarded = _meter.CreateCounter<long>("actorpipeline.items.discarded", "{item}", "Dead letters an operator discarded.");
        PutToGetLatency = _meter.CreateHistogram("actorpipeline.item.latency", "s", "Time from a producer's put to a consumer's get.", advice: SecondsBuckets);
        ProcessingTime = _meter.CreateHistogram("actorpipeline.item.processing", "s", "Time a work handler took, per attempt.", advice: SecondsBuckets);
        _meter.CreateObservableGauge("actorpipeline.queue.depth", () => Volatile.Read(ref _queueDepth), "{item}", "Items queued, not yet delivered.");
        _meter.CreateObservableGauge("actorpipeline.queue.unfinished", () => Volatile.Read(ref _unfinished), "{item}", "Accepted items not yet done: queued plus in flight.");
        _meter.CreateObservableGauge("actorpipeline.queue.oldest_age", OldestAge, "s", "Age of the oldest item waiting in the queue.");
        _meter.CreateObservableGauge("actorpipeline.run.items", RunItems, "{item}", "The run's items by state, all from one instant: accepted = completed + dead_lettered + discarded + dropped + unfinished.");
        _meter.CreateObservableGauge(
            "actorpipeline.job.items", JobItems, "{item}",
            $"Each job's items by state (tags job and state), all from one instant: accepted = completed + dead_lettered + discarded + unfinished. At most {JobGauges.MaxJobsLabelled} jobs by id, unsettled and newest first; the rest summed under job=\"{JobGauges.OtherJobs}\".");
        _meter.CreateObservableGauge("actorpipeline.jobs", JobCounts, "{job}", "Jobs the coordinator remembers, by phase (tag phase: open, closed, settled, cancelled).");
        _meter.CreateObservableGauge("actorpipeline.consumers.connected", () => Volatile.Read(ref _consumers), "{consumer}", "Consumers the coordinator knows.");
        _meter.CreateObservableGauge("actorpipeline.producers.connected", () => Volatile.Read(ref _producers), "{producer}", "Registered producers not yet done or lost.");
    }

    public Counter<long> Produced { get; }

    public Counter<long> Accepted { get; }

    public Counter<long> Delivered { get; }

    public Counter<long> Completed { get; }

    public Counter<long> Redelivered { get; }

    public Counter<long> DuplicateAcks { get; }

    public Counter<long> DeadLettered { get; }

    public Counter<long> Discarded { get; }

    public Histogram<double> PutToGetLatency { get; }

    public Histogram<double> ProcessingTime { get; }

    /// <summary>The coordinator's current figures, for the gauges (plain stores: the exporter reads them from another thread).</summary>
    public void ReportQueue(int depth, int unfinished, DateTime? oldestWaitingPutAt, int consumers, int producers)
    {
        Volatile.Write(ref _queueDepth, depth);
        Volatile.Write(ref _unfinished, unfinished);
        Volatile.Write(ref _oldestPutAtTicks, oldestWaitingPutAt?.Ticks ?? 0);
        Volatile.Write(ref _consumers, consumers);
        Volatile.Write(ref _producers, producers);
    }

    /// <summary>
    /// The run's accounting, written as one value so the exporter never reads half of an update.
    /// Counters cannot do this: a requeued dead letter would stay counted dead-lettered for good.
    /// </summary>
    public void ReportRun(long accepted, long completed, long deadLettered, long discarded, long dropped, long unfinished) =>
        Volatile.Write(ref _run, new RunCounts(accepted, completed, deadLettered, discarded, dropped, unfinished));

    /// <summary>
    /// Every job the coordinator remembers, for <c>actorpipeline.job.items</c> (tags <c>job</c> and <c>state</c>) and
    /// <c>actorpipeline.jobs</c> (tag <c>phase</c>); written as one value, as <see cref="ReportRun"/> is.
    /// </summary>
    /// <remarks>
    /// A job id is a label value, so the labels are bounded: at most <see cref="JobGauges.MaxJobsLabelled"/> jobs are
    /// exported under their own id, the unsettled ones first and, within each, the newest opened first (those an
    /// operator watches). Every other job's items are summed under <c>job="(other)"</c>, which no job id can be
    /// (<see cref="JobIds.Problem"/> refuses parentheses), so a sum over <c>job</c> still counts every remembered job.
    /// A job leaves the gauges at the first report after the coordinator forgot it (<c>Pipeline:Jobs:Retention</c>).
    /// </remarks>
    /// <param name="jobs">Every job the coordinator remembers, in any order; their dead letters are not read.</param>
    public void ReportJobs(IReadOnlyList<JobProtocol.JobStatus> jobs) => Volatile.Write(ref _jobs, JobGauges.Of(jobs));

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<long>> JobItems()
    {
        var gauges = Volatile.Read(ref _jobs);
        foreach (var job in gauges.Labelled)
        {
            foreach (var measurement in job.Measurements())
            {
                yield return measurement;
            }
        }

        if (gauges.Other is { } other)
        {
            foreach (var measurement in other.Measurements())
            {
                yield return measurement;
            }
        }
    }

    private IEnumerable<Measurement<long>> JobCounts()
    {
        var gauges = Volatile.Read(ref _jobs);
        for (var phase = 0; phase < gauges.ByPhase.Length; phase++)
        {
            yield return new(gauges.ByPhase[phase], new KeyValuePair<string, object?>("phase", JobGauges.PhaseNames[phase]));
        }
    }

    private IEnumerable<Measurement<long>> RunItems()
    {
        var run = Volatile.Read(ref _run);
        yield return new(run.Accepted, new KeyValuePair<string, object?>("state", "accepted"));
        yield return new(run.Completed, new KeyValuePair<string, object?>("state", "completed"));
        yield return new(run.DeadLettered, new KeyValuePair<string, object?>("state", "dead_lettered"));
        yield return new(run.Discarded, new KeyValuePair<string, object?>("state", "discarded"));
        yield return new(run.Dropped, new KeyValuePair<string, object?>("state", "dropped"));
        yield return new(run.Unfinished, new KeyValuePair<string, object?>("state", "unfinished"));
    }

    private sealed record RunCounts(long Accepted, long Completed, long DeadLettered, long Discarded, long Dropped, long Unfinished);

    private double OldestAge()
    {
        var ticks = Volatile.Read(ref _oldestPutAtTicks);
        return ticks == 0 ? 0 : Math.Max(0, (DateTime.UtcNow - new DateTime(ticks, DateTimeKind.Utc)).TotalSeconds);
    }
}
