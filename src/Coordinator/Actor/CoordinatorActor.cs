using Akka.Actor;
using Akka.Cluster;
using Akka.Persistence;
using Microsoft.Extensions.Logging;
using static ActorPipeline.Coordinator.Persistence.QueueEvents;
using static ActorPipeline.Coordinator.Protocol.JobProtocol;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Coordinator.Actor;

/// <summary>
/// The shell around <see cref="CoordinatorState{TClient}"/>, which holds the queue's rules: this actor
/// receives, passes the sender along, and carries out the decisions — journaling, replies, DeathWatch,
/// timers and snapshots.
/// <para>
/// A command's events are applied at once, so the next command sees them, and journaled by group
/// commit: while one write is being stored, every event that follows waits in memory, and all of them
/// go out as the next write, one journal entry (<see cref="EventGroup"/>). A journal's cost is per
/// entry and per transaction, not per event, so under load a write carries many commands' events and
/// the file journal keeps up; when idle, a command's events are written at once. Whatever promises
/// durability (a put's acceptance, a registration, a producer's completion) is sent only once every
/// event before it is stored. Deliveries go out at once: their ids carry the incarnation, so an id
/// handed out but never journaled before a crash is never reused, and recovery queues again every
/// item that was not completed.
/// </para>
/// </summary>
internal sealed class CoordinatorActor : ReceivePersistentActor, IWithTimers
{
    /// <summary>The coordinator's persistence id: one queue per journal.</summary>
    public const string QueuePersistenceId = "actor-pipeline-coordinator";

    private readonly QueueOptions _options;
    private readonly ILogger _log;
    private readonly CoordinatorFailure _failure;
    private readonly CoordinatorState<IActorRef> _state;

    /// <summary>Who restarts it when its journal fails: its supervisor; nobody offline, where a failed recovery is final.</summary>
    private readonly IActorRef _restarter;

    /// <summary>Most events in one journal entry, so that one entry stays a modest blob however far the journal fell behind.</summary>
    private const int MaxEventsPerEntry = 4096;

    /// <summary>How a decision is carried out: journaled first, or (ephemeral) at once. A mode fixed at start, not a phase.</summary>
    private readonly Action _carryOut;
    private readonly Action<IQueueEvent> _onStored;
    private readonly Action<Effect<IActorRef>> _tellStored;

    // Group commit: events applied but not yet handed to the journal, the replies that must wait for
    // them, and the journal entries being stored (the next write starts when none is).
    private readonly List<IQueueEvent> _unwritten = [];
    private readonly List<Effect<IActorRef>> _unwrittenReplies = [];
    private int _entriesInFlight;
    private long _eventsSinceSnapshot;
    private bool _snapshotRequested;
    private bool _journalWorked;

    /// <param name="options">The queue's settings.</param>
    /// <param name="expectedProducers">Producers the run waits for at least.</param>
    /// <param name="offline">Whether it serves the operator commands on a stopped service rather than the service (see <see cref="OfflineProps"/>).</param>
    /// <param name="log">Where its events go.</param>
    /// <param name="failure">Where it says that it cannot recover the queue.</param>
    /// <param name="metrics">Instruments to report to, if any.</param>
    /// <param name="time">The clock for ack deadlines, producer silence and progress; the system clock unless a spec fakes it.</param>
    /// <param name="formatter">How its log lines show an item; hex unless the pipeline's item type says otherwise.</param>
    public CoordinatorActor(
        QueueOptions options,
        int expectedProducers,
        bool offline,
        ILogger<CoordinatorActor> log,
        CoordinatorFailure failure,
        PipelineMetrics? metrics,
        TimeProvider? time,
        ItemFormatter? formatter)
    {
        _options = options;
        _log = log;
        _failure = failure;
        _state = new CoordinatorState<IActorRef>(options, expectedProducers, time ?? TimeProvider.System, log, metrics, formatter);
        _restarter = offline ? ActorRefs.Nobody : Context.Parent;
        _carryOut = options.Ephemeral ? CarryAtOnce : CarryJournaled;
        _onStored = OnWriteStored;
        _tellStored = effect => effect.To!.Tell(effect.Message, Self);

        // Recovering: Akka.Persistence stashes every command until the journal is read; then a behaviour for good.
        Recover<SnapshotOffer>(offer => _state.Restore((CoordinatorSnapshot)offer.Snapshot));
        Recover<IQueueEvent>(_state.Apply);
        Recover<RecoveryCompleted>(_ =>
        {
            if (offline)
            {
                BecomeOffline();
            }
            else
            {
                BecomeLive();
            }
        });
    }

    public override string PersistenceId => QueuePersistenceId;

    // Ephemeral recovers nothing either, even over a journal a durable run left: what it holds is only what it was given since it started.
    public override Recovery Recovery => _options.Ephemeral ? Recovery.None : base.Recovery;

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The coordinator on its own, with nothing to restart it: actor specs and benchmarks.</summary>
    public static Props Props(
        QueueOptions options, ILogger<CoordinatorActor> log, PipelineMetrics? metrics = null, TimeProvider? time = null, ItemFormatter? formatter = null, CoordinatorFailure? failure = null)
    {
        var shared = failure ?? new CoordinatorFailure(); // one for every incarnation, as the supervisor's is
        return ActorFactory.Props(() => new CoordinatorActor(options, options.ExpectedProducers, false, log, shared, metrics, time, formatter));
    }

    /// <summary>The coordinator under its <see cref="CoordinatorSupervisor"/>, which outlives journal outages: what the service runs.</summary>
    public static Props SupervisedProps(
        QueueOptions options, ILoggerFactory loggers, CoordinatorFailure failure, PipelineMetrics? metrics = null, TimeProvider? time = null, ItemFormatter? formatter = null) =>
        CoordinatorSupervisor.Props(
            Props(options, loggers.CreateLogger<CoordinatorActor>(), metrics, time, formatter, failure),
            options,
            loggers.CreateLogger<CoordinatorSupervisor>(),
            failure,
            time);

    /// <summary>
    /// For the operator commands run while the service is stopped (listing, requeueing and discarding dead
    /// letters, ending the run): it recovers and answers those, but starts no incarnation and expires nothing.
    /// No producer is expected, so that a run ended here with nothing left to settle is finished here. Nothing
    /// restarts it: any failure to recover is final, and said at once.
    /// </summary>
    public static Props OfflineProps(QueueOptions options, ILogger<CoordinatorActor> log, CoordinatorFailure failure) =>
        ActorFactory.Props(() => new CoordinatorActor(options, 0, true, log, failure, null, null, null));

    protected override void PostStop()
    {
        if (IsClustered)
        {
            Cluster.Get(Context.System).Unsubscribe(Self); // a no-op if it never went live
        }

        base.PostStop();
    }

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        if (_restarter.IsNobody() || IsUnreadableData(reason))
        {
            // Retrying cannot help with data this code cannot read, and serving an empty queue would lose
            // what the journal holds: say why, and let the host stop (it awaits this).
            var said = WithRemedy(reason.Message);
            _log.RecoveryFailed(said);
            _failure.Fail(said);
        }
        else
        {
            // The store did not answer (down, unreachable, full): a later attempt may read it. The supervisor restarts this actor with back-off.
            _log.RecoveryInterrupted(Describe(reason), reason);
            _restarter.Tell(new JournalFailing(Describe(reason)));
        }

        // Not the base's: it only logs the failure again, with its stack trace, after the line above.
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        // Akka.Persistence stops the actor: its state may be ahead of the journal. The supervisor starts it
        // again with back-off, and it recovers from what was stored; replies that waited for the write were never sent.
        _log.PersistFailed(@event.GetType().Name, cause);
        _restarter.Tell(new JournalFailing(Describe(cause)));
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    /// <summary>Data this release cannot read (another format, damaged bytes), as opposed to a store that does not answer.</summary>
    /// <summary>What to do about data the journal holds and this code cannot read, unless the reason says it already.</summary>
    private static string WithRemedy(string reason) =>
        reason.Contains(PreProtobufJournalSerializer.Advice, StringComparison.Ordinal)
            ? reason
            : $"{reason.TrimEnd('.')}. Nothing in the journal was changed: keep a copy of it, then restore a backup, finish the run with the release that wrote it, "
              + "or move the journal away (the SQLite file of Pipeline:Persistence:ConnectionString, by default ./actor-pipeline.db, or the PostgreSQL journal "
              + "and snapshot tables) to start again with an empty queue.";

    private static bool IsUnreadableData(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is System.Runtime.Serialization.SerializationException or WireFormatException or Google.Protobuf.InvalidProtocolBufferException or FormatException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An error in one line: its message and, if different, its innermost cause's.</summary>
    private static string Describe(Exception error)
    {
        var inner = error.GetBaseException();
        return inner == error || inner.Message == error.Message ? error.Message : $"{error.Message} ({inner.Message})";
    }

    protected override void Unhandled(object message)
    {
        _log.UnexpectedMessage(message.GetType().Name, Sender.Path.ToString());
        base.Unhandled(message);
    }

    /// <summary>
    /// Recovered, it serves the service: the whole protocol, the cluster's producer nodes, and the timers
    /// that expire deliveries and report progress. A new incarnation starts here.
    /// </summary>
    private void BecomeLive()
    {
        _state.CompleteRecovery(offline: false);
        Carry();

        // Expiry is checked a few times per timeout, but at least every second and at most every 10 ms.
        var interval = TimeSpan.FromTicks(Math.Clamp(_options.AckTimeout.Ticks / 4, TimeSpan.TicksPerMillisecond * 10, TimeSpan.TicksPerSecond));
        Timers.StartPeriodicTimer(nameof(ExpireDeliveries), ExpireDeliveries.Instance, interval);
        if (_options.ProgressInterval > TimeSpan.Zero)
        {
            Timers.StartPeriodicTimer(nameof(ReportProgress), ReportProgress.Instance, _options.ProgressInterval);
        }

        if (IsClustered)
        {
            // The run waits for the producers of every producer node in the cluster: no total is configured.
            Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IMemberEvent));
        }

        Become(() =>
        {
            // The chattiest messages first; each hands the sender to the state and carries out its decision.
            Command<Put>(put => { _state.Put(Sender, put); Carry(); });
            Command<TaskDone>(done => { _state.TaskDone(Sender, done); Carry(); });
            Command<RequestWork>(request => { _state.RequestWork(Sender, request); Carry(); });
            Command<Get>(get => { _state.Get(Sender, get); Carry(); });
            Command<RegisterProducer>(register => { _state.RegisterProducer(Sender, register); Carry(); });
            Command<ProducerDone>(done => { _state.ProducerDone(Sender, done); Carry(); });
            Command<ProducerStopped>(stopped => { _state.ProducerStopped(Sender, stopped); Carry(); });
            Command<WithdrawPut>(withdraw => { _state.WithdrawPut(Sender, withdraw); Carry(); });
            Command<CancelGet>(_ => { _state.CancelGet(Sender); Carry(); });
            Command<Release>(release => { _state.Release(Sender, release); Carry(); });
            Command<TaskFailed>(failed => { _state.TaskFailed(Sender, failed); Carry(); });
            Command<Join>(_ => { _state.Join(Sender); Carry(); });
            Command<JoinRun>(_ => { _state.JoinRun(Sender); Carry(); });
            Command<Shutdown>(shutdown => { _state.Shutdown(Sender, shutdown); Carry(); });
            Command<Terminated>(terminated => { _state.ClientTerminated(terminated.ActorRef); Carry(); });
            Command<ExpireDeliveries>(_ => { _state.Tick(); Carry(); });
            Command<ReportProgress>(_ => _state.ReportProgress());
            Command<ClusterEvent.MemberUp>(up => OnMember(up.Member, up: true));
            Command<ClusterEvent.MemberRemoved>(removed => OnMember(removed.Member, up: false));
            Command<ClusterEvent.IMemberEvent>(_ => { }); // joining, leaving, exiting: Up and Removed are what count

            // The run completes through its joiners once the accepted items are settled.
            Command<EndRun>(end => { _state.EndRun(Sender, end); Carry(); });

            // Jobs: opened, closed or cancelled, and joined, while the service runs.
            Command<OpenJob>(open => { _state.OpenJob(Sender, open); Carry(); });
            Command<CloseJob>(close => { _state.CloseJob(Sender, close); Carry(); });
            Command<CancelJob>(cancel => { _state.CancelJob(Sender, cancel); Carry(); });
            Command<JoinJob>(join => { _state.JoinJob(Sender, join); Carry(); });
            Operations();
        });
    }

    /// <summary>
    /// Recovered for an operator command on a stopped service: dead letters, status and ending the run;
    /// no incarnation, nothing expires, no cluster.
    /// </summary>
    private void BecomeOffline()
    {
        _state.CompleteRecovery(offline: true);
        Carry();
        Become(() =>
        {
            // Nobody joins the run offline, so a run with nothing left to settle is finished here and the next start begins a new one.
            Command<EndRun>(end =>
            {
                _state.EndRun(Sender, end);
                _state.FinishRunIfComplete();
                Carry();
            });
            Operations();
        });
    }

    private static bool IsClustered => Context.System is ExtendedActorSystem { Provider: ClusterActorRefProvider };

    private void OnMember(Member member, bool up)
    {
        // A member of an older version carries no name and its producers none: it cannot be matched, so it is not waited for.
        if (!member.HasRole(ClusterRoles.Producer) || ClusterRoles.NodeNameIn(member.Roles) is not { } node)
        {
            return;
        }

        if (up)
        {
            _state.ProducerNodeUp(node);
        }
        else
        {
            _state.ProducerNodeGone(node);
        }

        Carry();
    }

    /// <summary>What both behaviours answer: the operator's questions and commands, and the journal's housekeeping.</summary>
    private void Operations()
    {
        Command<GetStatus>(_ => Sender.Tell(_state.Status()));
        Command<GetOverview>(_ => Sender.Tell(_state.Overview(consumer => consumer.Path.ToString())));
        Command<GetDeadLetters>(_ => { _state.GetDeadLetters(Sender); Carry(); });
        Command<GetJob>(get => { _state.GetJob(Sender, get); Carry(); });
        Command<GetJobs>(_ => Sender.Tell(_state.Jobs()));
        Command<RequeueDeadLetters>(requeue => { _state.RequeueDeadLetters(Sender, requeue); Carry(); });
        Command<DiscardDeadLetters>(discard => { _state.DiscardDeadLetters(Sender, discard); Carry(); });
        Command<TakeSnapshot>(_ => SnapshotNow());
        Command<SaveSnapshotSuccess>(saved =>
        {
            // Older snapshots and the events the new one covers are no longer needed for recovery.
            DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1));
            DeleteMessages(saved.Metadata.SequenceNr);
        });
        Command<SaveSnapshotFailure>(failure => _log.SnapshotFailed(failure.Cause));
        Command<DeleteMessagesSuccess>(_ => { });
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteMessagesFailure>(failure => _log.CleanupFailed("events", failure.ToSequenceNr, failure.Cause));
        Command<DeleteSnapshotsFailure>(failure => _log.CleanupFailed("snapshots", failure.Criteria.MaxSequenceNr, failure.Cause));
    }

    /// <summary>Ephemeral: nothing is journaled, so every reply goes at once.</summary>
    private void CarryAtOnce()
    {
        var effects = _state.Effects;
        for (var i = 0; i < effects.Count; i++)
        {
            var effect = effects[i];
            switch (effect.Kind)
            {
                case EffectKind.Tell or EffectKind.TellWhenStored:
                    effect.To!.Tell(effect.Message, Self);
                    break;
                case EffectKind.Watch when !effect.To!.IsNobody():
                    Context.Watch(effect.To);
                    break;
            }
        }

        _state.ClearEffects();
    }

    /// <summary>
    /// Settles the state after the command (dispatch, joiners, the run: once here, so no handler can forget it),
    /// then carries out its decision the way this queue keeps its events (<see cref="_carryOut"/>).
    /// </summary>
    private void Carry()
    {
        _state.Settle();
        _carryOut();
    }

    /// <summary>Carries out the state's decision: journal its events, then reply now or once they are stored, and watch.</summary>
    private void CarryJournaled()
    {
        var effects = _state.Effects;
        for (var i = 0; i < effects.Count; i++)
        {
            if (effects[i].Kind == EffectKind.Journal)
            {
                _unwritten.Add((IQueueEvent)effects[i].Message!);
                _eventsSinceSnapshot++;
            }
        }

        for (var i = 0; i < effects.Count; i++)
        {
            var effect = effects[i];
            switch (effect.Kind)
            {
                case EffectKind.Tell:
                case EffectKind.TellWhenStored when _entriesInFlight == 0 && _unwritten.Count == 0:
                    effect.To!.Tell(effect.Message, Self);
                    break;
                case EffectKind.TellWhenStored when _unwritten.Count == 0:
                    DeferAsync(effect, _tellStored); // runs once the write being stored is
                    break;
                case EffectKind.TellWhenStored:
                    _unwrittenReplies.Add(effect); // deferred behind the write that carries its events
                    break;
                case EffectKind.Watch when !effect.To!.IsNobody():
                    Context.Watch(effect.To);
                    break;
            }
        }

        _state.ClearEffects();
        if (_entriesInFlight == 0)
        {
            Write();
        }

        if (_eventsSinceSnapshot >= _options.SnapshotEvery && !_snapshotRequested)
        {
            // In a message of its own, so that no event of this handler is half-way when the state is copied.
            _snapshotRequested = true;
            Self.Tell(TakeSnapshot.Instance);
        }
    }

    /// <summary>
    /// Hands every unwritten event to the journal as one atomic write, and defers the replies that
    /// waited for them behind it. PersistAsync, because commands must keep arriving (and grouping)
    /// while it is stored; the journal stores writes in the order they are made.
    /// </summary>
    private void Write()
    {
        if (_unwritten.Count == 0)
        {
            return;
        }

        if (_unwritten.Count == 1)
        {
            _entriesInFlight++;
            PersistAsync(_unwritten[0], _onStored);
        }
        else
        {
            var entries = new List<IQueueEvent>();
            for (var start = 0; start < _unwritten.Count; start += MaxEventsPerEntry)
            {
                entries.Add(new EventGroup(_unwritten.GetRange(start, Math.Min(MaxEventsPerEntry, _unwritten.Count - start))));
            }

            _entriesInFlight += entries.Count;
            PersistAllAsync(entries, _onStored);
        }

        _unwritten.Clear();
        foreach (var reply in _unwrittenReplies)
        {
            DeferAsync(reply, _tellStored);
        }

        _unwrittenReplies.Clear();
    }

    /// <summary>An entry is stored; once the whole write is, what gathered meanwhile is the next one.</summary>
    private void OnWriteStored(IQueueEvent stored)
    {
        if (!_journalWorked)
        {
            _journalWorked = true;
            _restarter.Tell(JournalWorking.Instance); // the first write of this incarnation: any outage is over
        }

        if (--_entriesInFlight == 0)
        {
            Write();
        }
    }

    /// <summary>
    /// Copies the state now, which holds every event applied so far, and saves the copy once those
    /// events are stored: a snapshot's sequence number is the last stored event's, so saving it while
    /// writes are pending would let recovery apply them twice. Later events are not in the copy, and
    /// waiting for the earlier writes alone means a snapshot is taken however busy the journal stays.
    /// </summary>
    private void SnapshotNow()
    {
        _snapshotRequested = false;
        _eventsSinceSnapshot = 0;
        var snapshot = _state.Snapshot();

        // What the copy holds but the journal does not yet goes out now, even beside a write in flight.
        Write();
        if (_entriesInFlight == 0)
        {
            SaveSnapshot(snapshot);
        }
        else
        {
            DeferAsync(snapshot, SaveSnapshot);
        }
    }

    private sealed class ReportProgress
    {
        public static readonly ReportProgress Instance = new();
        private ReportProgress() { }
    }

    private sealed class ExpireDeliveries
    {
        public static readonly ExpireDeliveries Instance = new();
        private ExpireDeliveries() { }
    }

    private sealed class TakeSnapshot
    {
        public static readonly TakeSnapshot Instance = new();
        private TakeSnapshot() { }
    }
}
