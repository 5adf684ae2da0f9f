namespace ActorPipeline.Coordinator.State;

/// <summary>
/// The coordinator's journal outage as pure state on an injected clock: when it began, how often the
/// coordinator failed in a row, how long to wait before the next restart, and whether the outage has
/// outlasted <see cref="QueueOptions.JournalOutageLimit"/>. The supervisor acts on it; specs check its rules alone.
/// </summary>
internal sealed class JournalOutage(QueueOptions options, TimeProvider time)
{
    /// <summary>When the first failure of the current outage happened; null while the journal works.</summary>
    public DateTimeOffset? Since { get; private set; }

    /// <summary>Failures in a row in the current outage.</summary>
    public int Failures { get; private set; }

    /// <summary>The last failure's reason, for the warnings and the health check.</summary>
    public string LastReason { get; private set; } = string.Empty;

    public bool IsOngoing => Since is not null;

    /// <summary>How long the journal has been failing; zero while it works.</summary>
    public TimeSpan Duration => Since is { } since ? time.GetUtcNow() - since : TimeSpan.Zero;

    /// <summary>Whether the outage has lasted longer than the limit (never, if the limit is 0).</summary>
    public bool LimitPassed => options.JournalOutageLimit > TimeSpan.Zero && Duration >= options.JournalOutageLimit;

    /// <summary>Records a failure and returns the wait before the next restart: the back-off doubles, up to its cap.</summary>
    public TimeSpan Failed(string reason)
    {
        Since ??= time.GetUtcNow();
        Failures++;
        LastReason = reason;
        return NextBackoff;
    }

    /// <summary>The wait the current failure count asks for.</summary>
    public TimeSpan NextBackoff
    {
        get
        {
            var factor = Math.Pow(2, Math.Min(Math.Max(0, Failures - 1), 30));
            return TimeSpan.FromTicks((long)Math.Min(options.JournalRetryBackoff.Ticks * factor, options.MaxJournalRetryBackoff.Ticks));
        }
    }

    /// <summary>A write was stored again: the outage is over. Returns how long it lasted.</summary>
    public TimeSpan Healthy()
    {
        var lasted = Duration;
        Since = null;
        Failures = 0;
        LastReason = string.Empty;
        return lasted;
    }
}
