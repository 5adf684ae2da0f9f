using Microsoft.Extensions.Logging;
using static ActorPipeline.Coordinator.Persistence.QueueEvents;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Coordinator.State;

/// <summary>
/// The queue's rules with no actor in sight: asyncio.Queue's semantics (put, get, task_done, join,
/// shutdown), made safe for a network that loses, repeats and delays messages and for crashes.
/// Each command method decides and leaves its decision in <see cref="Effects"/> as data: events to
/// journal, replies (some only once stored), clients to watch. Journaled state changes only through
/// <see cref="Apply"/>, which live handling and recovery share; what is not journaled (who holds
/// which delivery, windows, waiting getters and putters) is rebuilt from the clients after a restart.
/// </summary>
/// <remarks>
/// Every structure is bounded by the outstanding items plus a constant: the deadline list holds
/// exactly what is in flight, the deque's skipped entries are compacted away, an item remembers at
/// most <see cref="ItemState{TClient}.MaxKnownDeliveries"/> delivery ids.
/// </remarks>
/// <typeparam name="TClient">How the shell addresses a client: an actor reference in the actor, a plain value in specs.</typeparam>
internal sealed partial class CoordinatorState<TClient>
    where TClient : class
{
    /// <summary>Delivery ids carry the incarnation above this bit, so an id handed out before a crash is never reused.</summary>
    public const int IncarnationShift = 40;

    private readonly QueueOptions _options;
    private readonly int _expectedProducers;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly ItemFormatter _formatter;
    private readonly PipelineMetrics? _metrics;
    private readonly long _ackTimeoutTicks;
    private readonly List<Effect<TClient>> _effects = [];
    private readonly List<ItemState<TClient>> _batch = [];
    private readonly HashSet<long> _scratch = [];
    private readonly LatencyWindow _latency;

    // Journaled: written by Apply alone (Restore hands it a snapshot through the same steps).
    private readonly Dictionary<long, ItemState<TClient>> _items = [];
    private readonly Dictionary<long, ItemState<TClient>> _deliveries = []; // every remembered delivery id of an unfinished item
    private readonly Dictionary<string, ProducerState<TClient>> _producers = [];
    private readonly Dictionary<long, DeadLetteredItem> _deadLetters = [];
    private readonly int[] _producersIn = new int[Enum.GetValues<ProducerPhase>().Length]; // producers per ProducerPhase
    private int _producersRegistered;
    private readonly Dictionary<string, JobState<TClient>> _jobs = [];
    private readonly HashSet<JobState<TClient>> _closing = []; // closed, not yet settled: derived from the job events
    private readonly JobState<TClient> _runJob;
    private QueueTotals _totals = QueueTotals.Initial;
    private int _queued; // derived from the items' places, kept by Move alone
    private int _inFlight;

    // Live only: who holds what, who waits.
    private readonly JobRing<TClient> _ring = new(); // the jobs with queued items, taking turns; each holds its items in order
    private readonly DeadlineList<TClient> _deadlines = new();
    private readonly Dictionary<TClient, ConsumerState<TClient>> _consumers = [];
    private readonly Deque<ConsumerState<TClient>> _waitingGetters = new();
    private readonly Deque<PendingPut<TClient>> _parkedPuts = new();
    private readonly HashSet<(string ProducerId, long SequenceNr)> _parkedKeys = [];
    private readonly HashSet<TClient> _queueJoiners = [];
    private readonly HashSet<TClient> _runJoiners = [];
    private bool _recovering = true;
    private bool _outlivedAckTimeoutWarned;
    private bool _waitingForStoppedWarned;
    private long? _onlyStoppedSince; // when the run came to wait for stopped producers alone
    private long _progressFinished = -1;
    private long _progressAccepted = -1;
    private long _progressAt;

    public CoordinatorState(QueueOptions options, int expectedProducers, TimeProvider time, ILogger log, PipelineMetrics? metrics = null, ItemFormatter? formatter = null)
    {
        _options = options;
        _expectedProducers = expectedProducers;
        _time = time;
        _log = log;
        _formatter = formatter ?? ItemFormatter.Hex;
        _metrics = metrics;
        _ackTimeoutTicks = (long)(options.AckTimeout.TotalSeconds * time.TimestampFrequency);
        _progressAt = time.GetTimestamp();
        _latency = new LatencyWindow(time, LatencyWindowLength);
        _runJob = new JobState<TClient>(JobIds.Run, JobIds.Run, 1, time.GetUtcNow().UtcDateTime);
        _jobs.Add(_runJob.Id, _runJob);
    }

    /// <summary>What the decisions since the last <see cref="ClearEffects"/> ask the shell to do, in order.</summary>
    public IReadOnlyList<Effect<TClient>> Effects => _effects;

    public void ClearEffects() => _effects.Clear();

    public int Unfinished => _queued + _inFlight;

    public int Queued => _queued;

    public int InFlight => _inFlight;

    public bool IsShutDown => _totals.Mode != QueueMode.Open;

    /// <summary>
    /// Every producer the run waits for (see <see cref="ProducersKnown"/>) is done or lost, none is
    /// still active (or an operator ended the run), and nothing accepted is unfinished.
    /// </summary>
    public bool IsRunComplete =>
        Unfinished == 0
        && _parkedPuts.Count == 0
        && (_totals.EndedByOperator // an operator closed it for adding: nobody else is waited for
            || (_producersIn[(int)ProducerPhase.Active] == 0
                && _producersIn[(int)ProducerPhase.Stopped] == 0 // stopped on request: it comes back, a stop is not a finish
                && _producersIn[(int)ProducerPhase.Done] + _producersIn[(int)ProducerPhase.Lost] >= _expectedProducers
                && ProducersSettled));

    /// <summary>The sizes of every internal structure, for the specs that hold them to the outstanding work.</summary>
    public IReadOnlyDictionary<string, int> StructureSizes => new Dictionary<string, int>
    {
        ["items"] = _items.Count,
        ["deliveries"] = _deliveries.Count,
        ["queue"] = JobRing<TClient>.Entries(_jobs.Values),
        ["jobs"] = _jobs.Count,
        ["jobJoiners"] = _jobs.Values.Sum(j => j.Joiners.Count),
        ["deadlines"] = _deadlines.Count,
        ["waitingGetters"] = _waitingGetters.Count,
        ["parkedPuts"] = _parkedPuts.Count,
        ["parkedKeys"] = _parkedKeys.Count,
        ["joiners"] = _queueJoiners.Count + _runJoiners.Count,
        ["consumerInFlight"] = _consumers.Values.Sum(c => c.InFlight.Count),
    };

    /// <summary>
    /// Who waits although they could go now: a consumer with room while items are queued, a parked put while
    /// there is room for it, a joiner whose wait is over. Nothing, after every <see cref="Settle"/>; for the specs.
    /// </summary>
    public IEnumerable<string> NeedlessWaits()
    {
        if (_queued > 0)
        {
            foreach (var consumer in _consumers.Values.Where(c => c.IsWaiting && c.Available > 0))
            {
                yield return $"{consumer.Ref} could take {consumer.Available} of the {_queued} queued";
            }
        }

        if (_parkedPuts.Count > 0 && Room > 0)
        {
            yield return $"{_parkedPuts.Count} parked puts wait while there is room for {Room}";
        }

        if (IsShutDown && _queued == 0)
        {
            for (var i = 0; i < _waitingGetters.Count; i++)
            {
                if (_waitingGetters[i] is { Available: > 0 } getter && ReleasesNow(getter))
                {
                    yield return $"{getter.Ref} was not told the queue is shut down";
                }
            }
        }

        if (_queueJoiners.Count > 0 && Unfinished == 0)
        {
            yield return $"{_queueJoiners.Count} joiners wait with nothing unfinished";
        }

        if (_runJoiners.Count > 0 && IsRunComplete)
        {
            yield return $"{_runJoiners.Count} run joiners wait for a run that is complete";
        }

        foreach (var job in _jobs.Values)
        {
            if (job.Phase == JobPhase.Closed && job.Unfinished == 0)
            {
                yield return $"job {job.Id} is closed with nothing unfinished but not settled";
            }

            if (job.Joiners.Count > 0 && (job.IsSettled || (job == _runJob && IsRunComplete)))
            {
                yield return $"{job.Joiners.Count} joiners wait for job {job.Id}, which is settled";
            }
        }
    }

    private int Room => _options.Capacity == 0 ? int.MaxValue : Math.Max(0, _options.Capacity - _queued);

    public QueueStatus Status() => new(
        _queued, _inFlight, _options.Capacity, IsShutDown,
        _totals.Accepted, _totals.Completed, _deadLetters.Count, _totals.Dropped, _totals.Redelivered,
        _parkedPuts.Count, _consumers.Values.Count(c => c.Available > 0), _totals.DuplicateAcks, _consumers.Count,
        ProducersKnown,
        _producersRegistered,
        _producersIn[(int)ProducerPhase.Done],
        _producersIn[(int)ProducerPhase.Lost],
        _totals.Discarded,
        _totals.EndedByOperator,
        IsRunComplete);

    /// <summary>Whether some incarnation of this coordinator may have handed out the id (incarnations start at 1).</summary>
    private bool CouldHaveBeenIssued(long deliveryId) => deliveryId >> IncarnationShift >= 1 && deliveryId <= _totals.LastDeliveryId;

    // ---- effects -----------------------------------------------------------------------------

    /// <summary>Applies an event now (so the next command sees it) and asks for it to be journaled.</summary>
    private void Record(IQueueEvent @event)
    {
        Apply(@event);
        _effects.Add(new Effect<TClient>(EffectKind.Journal, null, @event));
    }

    private void Tell(TClient to, object message) => _effects.Add(new Effect<TClient>(EffectKind.Tell, to, message));

    private void TellWhenStored(TClient to, object message) => _effects.Add(new Effect<TClient>(EffectKind.TellWhenStored, to, message));

    private void Watch(TClient client) => _effects.Add(new Effect<TClient>(EffectKind.Watch, client, null));

    // ---- lookups -----------------------------------------------------------------------------

    private ProducerState<TClient> ProducerFor(string producerId)
    {
        if (!_producers.TryGetValue(producerId, out var producer))
        {
            producer = new ProducerState<TClient>(producerId);
            _producers.Add(producerId, producer);
            _producersIn[(int)ProducerPhase.Unregistered]++;
        }

        return producer;
    }

    private void MoveTo(ProducerState<TClient> producer, ProducerPhase phase)
    {
        _producersIn[(int)producer.Phase]--;
        producer.Phase = phase;
        _producersIn[(int)phase]++;
    }

    /// <summary>The producer that sent the current message: from now on it is watched, so its loss is noticed.</summary>
    private ProducerState<TClient> Heard(TClient from, string producerId)
    {
        var producer = ProducerFor(producerId);
        producer.SilentSince = null;
        if (!from.Equals(producer.Ref))
        {
            producer.Ref = from;
            Watch(from);
        }

        return producer;
    }

    private ConsumerState<TClient> ConsumerFor(TClient client)
    {
        if (!_consumers.TryGetValue(client, out var consumer))
        {
            consumer = new ConsumerState<TClient>(client);
            _consumers.Add(client, consumer);
            Watch(client);
        }

        return consumer;
    }

    private void EnterWaitingLine(ConsumerState<TClient> consumer)
    {
        if (!consumer.IsWaiting && consumer.Available > 0)
        {
            consumer.IsWaiting = true;
            _waitingGetters.PushBack(consumer);
        }
    }

    /// <summary>The job a journaled event names. The coordinator's own events name only jobs it knows; older journals name the run's.</summary>
    private JobState<TClient> JobNamed(string jobId) => _jobs.TryGetValue(jobId, out var job) ? job : _runJob;
}
