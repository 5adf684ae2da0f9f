using System.ComponentModel.DataAnnotations;

namespace ActorPipeline.Consumers;

/// <summary>The consumers of this node and their retries. Bound from <c>Pipeline:Consumers</c>.</summary>
internal sealed class ConsumerOptions : IValidatableObject
{
    public const string SectionName = "Pipeline:Consumers";

    /// <summary>Consumer actors started on this node (the seed's <c>-c/--ncon</c>).</summary>
    /// <value>Default 10.</value>
    [Range(1, 100_000)]
    public int Count { get; set; } = 10;

    /// <summary>
    /// Most items a consumer holds at once (its window): the one in its handler and those waiting behind
    /// it, so that the next item is already here when one is done. The handler still takes one item at a
    /// time, as the seed's consumer does. How many of these it asks for follows its work: see
    /// <see cref="PrefetchWork"/>.
    /// </summary>
    /// <value>
    /// Default 256: with items that take microseconds, windows this deep (and the acknowledgements of half of one
    /// together) let three processes move 1.3-2 x the items per second of 64, and the coordinator spend a third less
    /// CPU per item (docs/benchmarks.md); slow items still get one (<see cref="PrefetchWork"/>). 1 is the seed's one
    /// get at a time.
    /// </value>
    [Range(1, 100_000)]
    public int Prefetch { get; set; } = 256;

    /// <summary>
    /// Work, at the consumer's recent time per item, that its window holds beyond the item in hand: the
    /// window is this over that time, between 1 and <see cref="Prefetch"/>. Items that take microseconds
    /// get the whole window, so they travel and are acknowledged in batches; items that take seconds get
    /// one, so none waits behind a busy consumer while another is free (what the seed's queue does). Zero
    /// holds <see cref="Prefetch"/> whatever the work.
    /// </summary>
    /// <value>Default 10 ms.</value>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan PrefetchWork { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Most finished items one task_done message names: acknowledgements are sent together, not one message each.</summary>
    /// <value>Default 64.</value>
    [Range(1, 10_000)]
    public int AckBatch { get; set; } = 64;

    /// <summary>
    /// Longest a finished item's acknowledgement waits for others to go with it. A consumer with nothing
    /// left in hand sends what it has at once, so a batch never holds up its own window.
    /// </summary>
    /// <value>Default 5 ms.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan AckInterval { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Attempts of the work handler per item before the item is dead-lettered.</summary>
    /// <value>Default 3.</value>
    [Range(1, 1000)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Wait before the first retry; it doubles with each further attempt.</summary>
    /// <value>Default 200 ms.</value>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest wait between two attempts, however many failed.</summary>
    /// <value>Default 30 s.</value>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MaxRetryBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often an idle consumer repeats its request for work, so a request or delivery lost on the way never stalls it for long.</summary>
    /// <value>Default 2 s.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How often a consumer that holds items renews their leases (the coordinator's ack deadlines), so
    /// that work longer than <c>Pipeline:Queue:AckTimeout</c> is not redelivered while its consumer is alive.
    /// 0 (the default) takes a third of <c>Pipeline:Queue:AckTimeout</c>, at most <see cref="RefreshInterval"/>.
    /// </summary>
    /// <value>Default 0 (derived).</value>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan LeaseInterval { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// The hard limit on one attempt of the handler: past it the attempt is cancelled (its cancellation
    /// token fires) and counts as a failure, retried or dead-lettered like any other, and the consumer
    /// stops renewing the item's lease, so an attempt that ignores cancellation gets its item redelivered
    /// elsewhere. 0 means no limit.
    /// </summary>
    /// <value>Default 1 hour.</value>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan HandlerTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The lease renewal period for an ack timeout: <see cref="LeaseInterval"/> if set, else a third of it, at most <see cref="RefreshInterval"/>.</summary>
    public TimeSpan LeaseIntervalFor(TimeSpan ackTimeout) =>
        LeaseInterval > TimeSpan.Zero ? LeaseInterval : TimeSpan.FromTicks(Math.Min(RefreshInterval.Ticks, Math.Max(TimeSpan.TicksPerMillisecond, ackTimeout.Ticks / 3)));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxRetryBackoff < RetryBackoff)
        {
            yield return new ValidationResult($"MaxRetryBackoff ({MaxRetryBackoff}) must not be less than RetryBackoff ({RetryBackoff}).", [nameof(MaxRetryBackoff)]);
        }
    }

    /// <summary>The wait after failed attempt <paramref name="attempt"/> (1-based): exponential, capped.</summary>
    public TimeSpan BackoffAfter(int attempt)
    {
        var factor = Math.Pow(2, Math.Min(attempt - 1, 30));
        var ticks = Math.Min(RetryBackoff.Ticks * factor, MaxRetryBackoff.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }
}
