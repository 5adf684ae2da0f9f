using System.Buffers.Binary;
using ActorPipeline.Coordinator;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static ActorPipeline.Coordinator.Persistence.QueueEvents;
using static ActorPipeline.Coordinator.Protocol.JobProtocol;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Tests.Model;

/// <summary>
/// Drives <see cref="CoordinatorState{TClient}"/> through one generated sequence beside a small reference
/// model of asyncio.Queue's semantics plus the delivery rules (redelivery on release, stop, ack timeout
/// and lost messages; recovery from the journal or a snapshot), and checks the two agree after every step.
/// Which consumer gets an item is the coordinator's choice and is observed; that it is the queue's head,
/// and everything else, is predicted.
/// </summary>
internal sealed partial class ModelRun
{
    public static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan ProducerTimeout = TimeSpan.FromSeconds(2);
    private const int MaxDeliveryBatch = 2;
    private const int ExpectedProducers = 2;

    private readonly QueueOptions _options;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly List<IQueueEvent> _journal = [];
    private readonly List<string> _trace = [];
    private readonly List<(ModelClient To, object Message, bool Stored)> _told = [];
    private readonly List<string> _expected = [];
    private readonly List<ModelClient> _watched = [];
    private readonly List<ModelClient> _expectedWatches = [];
    private readonly ModelQueue _queue = new(); // each job's items head first, the jobs taking turns
    private readonly Dictionary<int, ModelItem> _byLabel = [];
    private readonly Dictionary<long, ModelItem> _issued = []; // every delivery id ever made
    private readonly List<ModelProducer> _parked = [];
    private readonly ModelProducer[] _producers = [new("p0"), new("p1")]; // the batch run's: registered, done, lost
    private readonly ModelProducer[] _jobProducers; // clients' put keys into jobs (none in a plain batch run)
    private readonly ModelProducer[] _putters; // both
    private readonly ModelConsumer[] _consumers = [new("c0", windowed: false), new("c1", windowed: true), new("c2", windowed: true)];
    private readonly HashSet<ModelConsumer> _known = [];
    private readonly HashSet<ModelConsumer> _released = [];
    private readonly ModelClient _joiner = new("joiner");
    private readonly ModelClient _runJoiner = new("run-joiner");
    private readonly ModelClient _operator = new("operator");
    private CoordinatorState<ModelClient> _state;
    private (CoordinatorSnapshot Snapshot, int JournalIndex)? _snapshot;
    private QueueMode _mode = QueueMode.Open;
    private bool _joinPending;
    private bool _runJoinPending;
    private bool _runFinished;
    private int _nextLabel = 1;
    private long _order;
    private long _accepted;
    private long _completed;
    private long _discarded;
    private bool _endedByOperator;
    private long _dropped;
    private long _redelivered;
    private long _leaseOrder;
    private long _duplicates;
    private int _nowaitBudget;
    private long _lastDeliveryId;
    private ModelConsumer? _requesting;
    private QueueOperation _current;

    public ModelRun(int capacity, bool withJobs = false)
    {
        _options = new QueueOptions
        {
            Capacity = capacity, MaxDeliveryBatch = MaxDeliveryBatch, AckTimeout = AckTimeout, ProducerTimeout = ProducerTimeout,
            Jobs = new JobOptions { Retention = new JobRetention { Time = RetentionTime, Count = RetentionCount } },
        };
        _withJobs = withJobs;
        _jobProducers = withJobs ? [new("k0"), new("k1"), new("k2")] : [];
        _putters = [.. _producers, .. _jobProducers];
        _runJob = new ModelJob(JobIds.Run, JobIds.Run, 1, _time.GetUtcNow().UtcDateTime);
        _jobs.Add(_runJob.Id, _runJob);
        _state = NewState();
        _state.CompleteRecovery(offline: false);
        _state.Settle();
        Collect();
        _told.Clear();
    }

    public long Steps { get; private set; }

    private int Capacity => _options.Capacity;

    private int Room => Capacity == 0 ? int.MaxValue : Math.Max(0, Capacity - _queue.Count);

    private long Unfinished => _byLabel.Values.Count(i => i.Status is ModelItemStatus.Queued or ModelItemStatus.InFlight);

    private long DeadNow => _byLabel.Values.Count(i => i.Status == ModelItemStatus.DeadLettered);

    private bool RunComplete =>
        (_endedByOperator
            || (_producers.Count(p => p.Phase is ModelProducerPhase.Done or ModelProducerPhase.Lost) >= ExpectedProducers
                && _producers.All(p => p.Phase != ModelProducerPhase.Active)))
        && Unfinished == 0
        && _parked.Count == 0;

    /// <summary>Runs one sequence; a disagreement throws with the steps so far.</summary>
    public static long Run(int capacity, int[] operations, bool withJobs = false)
    {
        var run = new ModelRun(capacity, withJobs);
        foreach (var value in operations)
        {
            run.Step(QueueOperation.Decode(value, withJobs));
        }

        return run.Steps;
    }

    public void Step(QueueOperation operation)
    {
        Steps++;
        _expected.Clear();
        _told.Clear();
        _watched.Clear();
        _expectedWatches.Clear();
        _requesting = null;
        _nowaitBudget = 0;
        _current = operation;
        try
        {
            Do(operation);
            _state.Settle(); // as the actor does once after every message
            Collect();
            ObserveAndCheck();
            _trace.Add($"{operation}: {string.Join(", ", _told.Select(Describe))}");
        }
        catch (Exception e) when (e is not ModelViolationException)
        {
            throw Violation($"{operation} threw {e}");
        }
    }

    private CoordinatorState<ModelClient> NewState() =>
        new(_options, ExpectedProducers, _time, NullLogger.Instance);

    /// <summary>Takes the state's effects: journaled events into the journal, messages into what was told (and whether once stored), watches.</summary>
    private void Collect()
    {
        foreach (var effect in _state.Effects)
        {
            switch (effect.Kind)
            {
                case EffectKind.Journal:
                    _journal.Add((IQueueEvent)effect.Message!);
                    break;
                case EffectKind.Tell or EffectKind.TellWhenStored:
                    _told.Add((effect.To!, effect.Message!, effect.Kind == EffectKind.TellWhenStored));
                    break;
                case EffectKind.Watch:
                    _watched.Add(effect.To!);
                    break;
            }
        }

        _state.ClearEffects();
    }

    private QueueItem ItemOf(int label)
    {
        var payload = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(payload, label);
        return new QueueItem(payload, _time.GetUtcNow().UtcDateTime);
    }

    private static int LabelOf(QueueItem item) => BinaryPrimitives.ReadInt32BigEndian(item.Payload.Span);

    /// <summary>A reply that reports the state as it is: it goes at once.</summary>
    private void Expect(ModelClient to, object message) => _expected.Add(Describe((to, message, false)));

    /// <summary>A reply that reports something journaled (accepted, registered, done, settled): it waits until that is stored.</summary>
    private void ExpectStored(ModelClient to, object message) => _expected.Add(Describe((to, message, true)));

    /// <summary>The coordinator must watch this client from now on, so that its stop comes back to it.</summary>
    private void ExpectWatch(ModelClient client) => _expectedWatches.Add(client);

    private static string Describe((ModelClient To, object Message, bool Stored) told) =>
        $"{told.To}<-{Describe(told.Message)}{(told.Stored ? " once stored" : string.Empty)}";

    private static string Describe(object message) => message switch
    {
        Delivery d => $"Delivery[{string.Join(",", d.Items.Select(i => $"{i.DeliveryId & 0xFFFFFF}:{LabelOf(i.Item)}"))}]",
        RunCompleted => "RunCompleted",
        JobStatus s => Describe(s),
        JobRefused r => $"JobRefused({r.JobId})", // its reason is for people
        _ => message.ToString() ?? message.GetType().Name,
    };

    private ModelViolationException Violation(string what) =>
        new($"{what}\nat step {Steps}, {_current} (told: {string.Join(", ", _told.Select(Describe))}), after (capacity {Capacity}):\n  {string.Join("\n  ", _trace.TakeLast(40))}");

    private void Require(bool condition, Func<string> what)
    {
        if (!condition)
        {
            throw Violation(what());
        }
    }
}
