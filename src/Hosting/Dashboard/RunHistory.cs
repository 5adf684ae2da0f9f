using ActorPipeline.Coordinator;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Hosting.Dashboard;

/// <summary>
/// The page's memory, apart from any actor or web server: the coordinator's overviews as they are read,
/// the charts' points for <c>keep</c>, and the rates and ETA derived from successive overviews. It counts
/// nothing itself: every figure it shows is one an overview carried.
/// </summary>
internal sealed class RunHistory(TimeSpan keep, TimeProvider time)
{
    /// <summary>Rates are taken over this much history: one sample to the next is too jumpy to read.</summary>
    public static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(5);

    private readonly Queue<RunSample> _samples = new();
    private RunSample? _newest;
    private readonly Queue<(long AtMs, QueueOverview Overview)> _recent = new();
    private (long AtMs, QueueOverview Overview)? _latest;
    private long _sequence;
    private bool _answering;
    private double _putRate;
    private double _completionRate;
    private Dictionary<string, double> _consumerRates = [];
    private Dictionary<string, double> _producerRates = [];

    public void Add(QueueOverview overview)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        _sequence++;
        _answering = true;
        _recent.Enqueue((now, overview));
        while (_recent.Count > 2 && now - _recent.Peek().AtMs > RateWindow.TotalMilliseconds)
        {
            _recent.Dequeue();
        }

        _latest = (now, overview);
        var (baseAt, baseline) = _recent.Peek();
        var seconds = (now - baseAt) / 1000.0;
        _putRate = Rate(overview.Status.Accepted, baseline.Status.Accepted, seconds);
        _completionRate = Rate(overview.Status.Completed, baseline.Status.Completed, seconds);
        // Connected ones only: a consumer restarted under the same path is a new row beside its departed self.
        // Keyed by path, first one wins: two live actors of one path (a node back on its old address before
        // the coordinator saw the old one go) must not stop the page.
        var consumersBefore = ByKey(baseline.Consumers.Where(c => c.Connected), c => c.Consumer, c => c.Completed);
        _consumerRates = ByKey(
            overview.Consumers.Where(c => c.Connected), c => c.Consumer, c => Rate(c.Completed, consumersBefore.GetValueOrDefault(c.Consumer), seconds));
        var producersBefore = ByKey(baseline.Producers, p => p.ProducerId, p => p.Accepted);
        _producerRates = ByKey(overview.Producers, p => p.ProducerId, p => Rate(p.Accepted, producersBefore.GetValueOrDefault(p.ProducerId), seconds));

        _newest = new RunSample(now, overview.Status.Size, overview.Status.Unfinished, _putRate, _completionRate);
        _samples.Enqueue(_newest);
        while (now - _samples.Peek().AtMs > keep.TotalMilliseconds)
        {
            _samples.Dequeue();
        }
    }

    /// <summary>The coordinator did not answer: the page keeps the last figures and says how old they are.</summary>
    public void Unanswered() => _answering = false;

    // Complete is the coordinator's word (QueueStatus.IsRunComplete), never worked out again here: a run with
    // nothing left to do that is not complete still waits for producers (stopped ones, or nodes in the join window).
    public static RunPhase PhaseOf(QueueStatus status) =>
        status.IsRunComplete ? RunPhase.Joined
        : status.IsShutDown ? RunPhase.ShutDown
        : status.Unfinished == 0 && status.ParkedPuts == 0 ? RunPhase.Producing
        : !status.EndedByOperator && status.ProducersDone + status.ProducersLost < status.ExpectedProducers ? RunPhase.Producing
        : RunPhase.Draining;

    /// <param name="full">Every chart point (a page loading) or only the newest (a live update).</param>
    /// <param name="requeueAllowed">Whether this node takes requeue requests.</param>
    public DashboardView View(bool full, bool requeueAllowed)
    {
        if (_latest is not { } latest)
        {
            return new DashboardView(
                0, 0, false, null, null, null, 0, 0, new LatencyView(0, 0, 0, 0, 0, 0), [], [], DeadLettersView.None, [], (long)keep.TotalMilliseconds, requeueAllowed);
        }

        var (at, overview) = latest;
        var status = overview.Status;
        var phase = PhaseOf(status);
        double? eta = phase switch
        {
            RunPhase.Joined => 0,
            RunPhase.Draining when _completionRate > 0 => status.Unfinished / _completionRate,
            _ => null, // producing: how much more the producers will put is theirs to know, not the queue's
        };
        var latency = overview.Latency;
        return new DashboardView(
            at,
            _sequence,
            _answering,
            phase.ToString(),
            eta,
            status,
            _putRate,
            _completionRate,
            new LatencyView(latency.Count, latency.Window.TotalSeconds, latency.P50 * 1000, latency.P90 * 1000, latency.P99 * 1000, latency.Max * 1000),
            [.. overview.Consumers.Select(c => new ConsumerView(c.Consumer, c.InHand, c.Completed, c.Connected ? _consumerRates.GetValueOrDefault(c.Consumer) : 0, c.Connected))],
            [.. overview.Producers.Select(p => new ProducerView(p.ProducerId, p.Node, p.Phase.ToString(), p.Accepted, _producerRates.GetValueOrDefault(p.ProducerId)))],
            new DeadLettersView(
                status.DeadLettered,
                [.. overview.NewestDeadLetters.Select(DeadLetterView.Of)]),
            full ? [.. _samples] : [_newest!],
            (long)keep.TotalMilliseconds,
            requeueAllowed);
    }

    private static Dictionary<string, TValue> ByKey<T, TValue>(IEnumerable<T> entries, Func<T, string> key, Func<T, TValue> value)
    {
        var byKey = new Dictionary<string, TValue>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            byKey.TryAdd(key(entry), value(entry));
        }

        return byKey;
    }

    /// <summary>Per second; a counter that went down (a new run began) reads as no progress, not a negative rate.</summary>
    private static double Rate(long now, long before, double seconds) => seconds <= 0 ? 0 : Math.Max(0, now - before) / seconds;

}
