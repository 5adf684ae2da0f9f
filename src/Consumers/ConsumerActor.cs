using ActorPipeline.Coordinator.Actor;
using ActorPipeline.Coordinator;
using Akka.Actor;
using Microsoft.Extensions.Logging;
using static ActorPipeline.Consumers.ConsumerProtocol;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Consumers;

/// <summary>
/// The seed's <c>consume</c> loop: get → work → task_done, one item at a time. It asks the
/// coordinator for a window of items sized to its work (<see cref="PrefetchWindow"/>), acknowledges
/// finished items together, and repeats the request now and then (it is idempotent), so a request or
/// delivery lost on the network never stalls it for long. A failing handler is retried with backoff and the item dead-lettered after the last attempt;
/// whatever it holds when it stops goes back to the queue.
/// </summary>
/// <remarks>
/// Its phases are behaviours: <see cref="Working"/> (asking for items and working them) and
/// <see cref="Draining"/> (finishing what it holds, handing back what it has not started and what still
/// arrives, and telling whoever asked once it is idle). What a drain has counted is a <see cref="DrainTally"/>,
/// which the draining phase hands to the handlers it shares with the working one.
/// </remarks>
internal sealed class ConsumerActor : ReceiveActor, IWithTimers
{
    private readonly int _id;
    private readonly IPayloadHandler _handler;
    private readonly IActorRef _coordinator;
    private readonly ConsumerOptions _options;
    private readonly ILogger _log;
    private readonly PipelineMetrics? _metrics;
    private readonly Queue<DeliveredItem> _buffer = new();
    private readonly HashSet<long> _held = []; // delivery ids in the buffer or in hand, to drop a repeated delivery
    private readonly List<long> _finished = []; // done, its task_done not sent yet (see SendTaskDone)
    private readonly CancellationTokenSource _cancel = new();
    private readonly PrefetchWindow _window;
    private DeliveredItem? _current;
    private int _attempt;
    private bool _queueShutDown;
    private long _lastSeen; // highest delivery id (or DeliveredUpTo mark) received: the progress every request reports
    private CancellationTokenSource? _attemptCancel; // the running attempt's token: the node's stop, or its hard limit
    private bool _overran; // the running attempt passed HandlerTimeout and was cancelled: its lease is no longer renewed
    private int _inlineLeft; // results had at once that may still be handled within the message in hand (see RunHandler)

    public ConsumerActor(int id, IPayloadHandler handler, IActorRef coordinator, ConsumerOptions options, ILogger<ConsumerActor> log, PipelineMetrics? metrics = null)
    {
        _metrics = metrics;
        _id = id;
        _handler = handler;
        _coordinator = coordinator;
        _options = options;
        _log = log;
        _window = new PrefetchWindow(options.Prefetch, options.PrefetchWork);
        Working();
    }

    // Results had at once handled within one message: about the dispatcher's default turn (30 messages).
    private const int MaxInline = 32;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(
        int id, IPayloadHandler handler, IActorRef coordinator, ConsumerOptions options, ILogger<ConsumerActor> log, PipelineMetrics? metrics = null) =>
        ActorFactory.Props(() => new ConsumerActor(id, handler, coordinator, options, log, metrics));

    protected override void PreStart()
    {
        RequestWork(_window.Current);

        // One timer for both: the idle consumer's repeated request, and the lease renewal of what it holds,
        // which must come well inside the coordinator's ack timeout (see ConsumerOptions.LeaseInterval).
        var every = _options.LeaseInterval > TimeSpan.Zero && _options.LeaseInterval < _options.RefreshInterval ? _options.LeaseInterval : _options.RefreshInterval;
        Timers.StartPeriodicTimer(nameof(RefreshRequest), RefreshRequest.Instance, every);
    }

    protected override void PostStop()
    {
        SendTaskDone();
        _cancel.Cancel();
        _attemptCancel?.Dispose();
        _cancel.Dispose();
    }

    /// <summary>Takes items and works them, asking for more as its window frees up.</summary>
    private void Working()
    {
        Receive<Delivery>(delivery =>
        {
            foreach (var item in delivery.Items)
            {
                _lastSeen = Math.Max(_lastSeen, item.DeliveryId);
                if (_held.Add(item.DeliveryId))
                {
                    _buffer.Enqueue(item);
                }
            }

            StartNextIfIdle(drain: null);
        });
        Receive<WorkSucceeded>(done => HandleWorkSucceeded(done, drain: null));
        Receive<WorkFailed>(failed => HandleWorkFailed(failed, drain: null));
        Receive<Drain>(_ => StartDraining(new DrainTally(Sender)));
        Receive<RefreshRequest>(_ =>
        {
            if (!_queueShutDown)
            {
                RequestWork(_window.Current);
            }
            else if (_held.Count > 0)
            {
                RequestWork(0); // shut down: no more items, but the leases of those in hand still run
            }
        });
        InEveryPhase();
    }

    /// <summary>
    /// Asked to drain: it takes no more items, finishes the one in hand, hands back what it has not started
    /// and whatever the coordinator still sends, and tells the one who asked each time it is found idle.
    /// </summary>
    private void Draining(DrainTally drain)
    {
        Receive<Delivery>(delivery =>
        {
            List<long> unwanted = []; // sent before the coordinator saw the drain
            foreach (var item in delivery.Items)
            {
                _lastSeen = Math.Max(_lastSeen, item.DeliveryId);
                unwanted.Add(item.DeliveryId);
            }

            if (unwanted.Count > 0)
            {
                drain.HandedBack += unwanted.Count;
                SendTaskDone();
                _coordinator.Tell(new Release(unwanted));
            }

            StartNextIfIdle(drain);
        });
        Receive<WorkSucceeded>(done => HandleWorkSucceeded(done, drain));
        Receive<WorkFailed>(failed => HandleWorkFailed(failed, drain));
        Receive<Drain>(_ => { }); // draining already, for whoever asked first
        Receive<RefreshRequest>(_ =>
        {
            if (_held.Count > 0)
            {
                RequestWork(0); // no more items, but the leases of those in hand still run
            }
        });
        InEveryPhase();
    }

    /// <summary>What it handles alike whether it works or drains.</summary>
    private void InEveryPhase()
    {
        Receive<DeliveredUpTo>(mark => _lastSeen = Math.Max(_lastSeen, mark.LastDeliveryId));
        Receive<RetryWork>(HandleRetryWork);
        Receive<TaskDoneRejected>(HandleTaskDoneRejected);
        Receive<QueueShutDown>(HandleQueueShutDown);
        Receive<Cancel>(HandleCancel);
        Receive<AttemptOverran>(HandleAttemptOverran);
        Receive<FlushAcks>(_ => SendTaskDone());
    }

    /// <param name="done">The attempt's result.</param>
    /// <param name="drain">What the drain has counted, if it drains.</param>
    private void HandleWorkSucceeded(WorkSucceeded done, DrainTally? drain)
    {
        if (_current?.DeliveryId != done.DeliveryId)
        {
            return;
        }

        _inlineLeft = MaxInline;
        HandleResults(done, drain);
    }

    /// <param name="done">A result of the item in hand.</param>
    /// <param name="drain">What the drain has counted, if it drains.</param>
    private void HandleResults(WorkSucceeded done, DrainTally? drain)
    {
        // A loop, not recursion: each result had at once (see RunHandler) is handled exactly as its own message
        // would be, one after the other.
        for (WorkSucceeded? result = done; result is not null;)
        {
            EndAttempt(); // done, even past its hard limit: a result that arrives is a result
            Finished(drain);
            _finished.Add(result.DeliveryId);
            var resized = _window.Record(result.Took);
            result = StartNext(drain);
            if (resized && drain is null && !_queueShutDown)
            {
                RequestWork(_window.Current); // sends the acks first
            }
            else if (_finished.Count >= _window.AckThreshold(_options.AckBatch) || _current is null || _options.AckInterval <= TimeSpan.Zero)
            {
                SendTaskDone(); // half the window, or nothing more in hand: the window must not run dry waiting on an ack
            }
            else if (_finished.Count == 1)
            {
                Timers.StartSingleTimer(nameof(FlushAcks), FlushAcks.Instance, _options.AckInterval);
            }
        }
    }

    /// <summary>
    /// One task_done for every item finished since the last: it frees their places in the window, and
    /// the coordinator sends the next items. Sent before any other message to the coordinator, so a
    /// request's progress report never counts an item done here but not yet acknowledged as lost.
    /// </summary>
    private void SendTaskDone()
    {
        if (_finished.Count == 0)
        {
            return;
        }

        Timers.Cancel(nameof(FlushAcks));
        _coordinator.Tell(new TaskDone([.. _finished]));
        _finished.Clear();
    }

    /// <param name="failed">The attempt's failure.</param>
    /// <param name="drain">What the drain has counted, if it drains.</param>
    private void HandleWorkFailed(WorkFailed failed, DrainTally? drain)
    {
        if (_current is not { } current || current.DeliveryId != failed.DeliveryId)
        {
            return;
        }

        var error = _overran && failed.Error is OperationCanceledException && !_cancel.IsCancellationRequested
            ? new TimeoutException($"The handler ran longer than Pipeline:Consumers:HandlerTimeout ({_options.HandlerTimeout}) and was cancelled.")
            : failed.Error;
        EndAttempt();
        failed = failed with { Error = error };

        // The handler said the item can never succeed: another attempt would only cost the backoff.
        var permanent = failed.Error is PermanentItemFailureException;
        if (!permanent && _attempt < _options.MaxAttempts)
        {
            var backoff = _options.BackoffAfter(_attempt);
            ConsumerLog.Retrying(_log, _id, _handler.Formatter.Describe(current.Item), _attempt, _options.MaxAttempts, backoff, failed.Error);
            Timers.StartSingleTimer(nameof(RetryWork), new RetryWork(current.DeliveryId), backoff);
            return;
        }

        if (permanent)
        {
            ConsumerLog.FailedPermanently(_log, _id, _handler.Formatter.Describe(current.Item), _attempt, failed.Error);
        }
        else
        {
            ConsumerLog.GaveUp(_log, _id, _handler.Formatter.Describe(current.Item), _attempt, failed.Error);
        }

        Finished(drain);
        SendTaskDone();
        _coordinator.Tell(new TaskFailed(current.DeliveryId, _attempt, DescribeFailure(failed.Error)));
        StartNextIfIdle(drain);
    }

    private void HandleRetryWork(RetryWork retry)
    {
        if (_current is { } current && current.DeliveryId == retry.DeliveryId)
        {
            _attempt++;
            _inlineLeft = 0; // its result comes back as a message: which phase handles it is the mailbox's business
            RunHandler(current);
        }
    }

    private void HandleTaskDoneRejected(TaskDoneRejected rejected) =>
        ConsumerLog.TaskDoneRejected(_log, _id, rejected.DeliveryId, rejected.Reason);

    private void HandleQueueShutDown(QueueShutDown _)
    {
        _queueShutDown = true;
        StopIfDrained();
    }

    private void StartDraining(DrainTally drain)
    {
        Become(() => Draining(drain));
        RequestWork(0); // first (after the acks it sends), so that nothing handed back below comes straight back here
        if (_buffer.Count > 0)
        {
            SendTaskDone();
            var unstarted = _buffer.Select(d => d.DeliveryId).ToList();
            _buffer.Clear();
            _held.ExceptWith(unstarted);
            drain.HandedBack += unstarted.Count;
            _coordinator.Tell(new Release(unstarted));
        }

        ReportDrainedIfIdle(drain);
    }

    /// <summary>
    /// The running attempt passed <see cref="ConsumerOptions.HandlerTimeout"/>: its token fires, and its
    /// item's lease is no longer renewed, so that if the handler ignores cancellation the item goes to
    /// another consumer after the ack timeout instead of staying with a stuck one.
    /// </summary>
    private void HandleAttemptOverran(AttemptOverran overran)
    {
        if (_current is not { } current || current.DeliveryId != overran.DeliveryId || overran.Attempt != _attempt || _attemptCancel is null)
        {
            return;
        }

        _overran = true;
        ConsumerLog.HandlerOverran(_log, _id, _handler.Formatter.Describe(current.Item), _attempt, _options.HandlerTimeout);
        _attemptCancel.Cancel();
    }

    /// <summary>
    /// Asks for a window and reports progress with it: what this consumer holds and how far it has seen.
    /// Everything it finished or handed back was told before this (messages to one actor keep their
    /// order), so the coordinator can take a delivery it thinks is here, and is not, as lost.
    /// </summary>
    private void RequestWork(int window)
    {
        SendTaskDone();
        _coordinator.Tell(new RequestWork(window, LeasedDeliveries(), _lastSeen));
    }

    /// <summary>What it holds and still answers for: all of it, but an attempt that overran its hard limit.</summary>
    private long[] LeasedDeliveries()
    {
        if (!_overran || _current is not { } stuck)
        {
            return [.. _held];
        }

        return [.. _held.Where(id => id != stuck.DeliveryId)];
    }

    private void HandleCancel(Cancel _)
    {
        // Work under way is abandoned, not finished: the coordinator re-queues all this actor held when it sees it stop.
        ConsumerLog.Cancelled(_log, _id);
        SendTaskDone(); // what it finished is done: only what it had not finished goes back
        _cancel.Cancel();
        Context.Stop(Self);
    }

    /// <param name="drain">What the drain has counted, if it drains: found idle, it tells the one who asked.</param>
    private void StartNextIfIdle(DrainTally? drain)
    {
        _inlineLeft = MaxInline;
        if (StartNext(drain) is { } done)
        {
            HandleResults(done, drain);
        }
    }

    /// <param name="drain">What the drain has counted, if it drains: found idle, it tells the one who asked.</param>
    /// <returns>The result of the item started, if it finished at once and is to be handled now.</returns>
    private WorkSucceeded? StartNext(DrainTally? drain)
    {
        if (_current is not null)
        {
            return null;
        }

        if (!_buffer.TryDequeue(out var next))
        {
            ReportDrainedIfIdle(drain);
            StopIfDrained();
            return null;
        }

        _current = next;
        _attempt = 1;
        _metrics?.PutToGetLatency.Record((DateTime.UtcNow - next.Item.PutAt).TotalSeconds);
        if (_log.IsEnabled(LogLevel.Information))
        {
            ConsumerLog.Got(_log, _id, _handler.Formatter.Describe(next.Item), FixedSeconds.From(DateTime.UtcNow - next.Item.PutAt));
        }

        return RunHandler(next);
    }

    /// <returns>The attempt's result, if it finished at once and is to be handled now rather than as a message.</returns>
    private WorkSucceeded? RunHandler(DeliveredItem delivered)
    {
        var deliveryId = delivered.DeliveryId;
        _attemptCancel = CancellationTokenSource.CreateLinkedTokenSource(_cancel.Token);
        _overran = false;
        var attempt = InvokeHandlerAsync(new WorkContext(_id, delivered, _attempt, _attemptCancel.Token), _attemptCancel.Token);
        if (attempt.IsCompletedSuccessfully)
        {
            // Done before it ever waited (quick work): there is no hard limit left to watch, and no continuation
            // to pipe, so a timer and a continuation per item are saved. With nothing else waiting in the mailbox
            // its message would be the very next one handled, so it is handled now, without the round trip
            // (a few in a row at most, as the dispatcher lets an actor handle a few messages per turn);
            // otherwise it queues behind what waits, as a piped result would.
            var done = new WorkSucceeded(deliveryId, attempt.Result);
            if (_inlineLeft > 0 && ((ActorCell)Context).Mailbox is { MessageQueue.HasMessages: false })
            {
                _inlineLeft--;
                return done;
            }

            Self.Tell(done);
            return null;
        }

        if (_options.HandlerTimeout > TimeSpan.Zero)
        {
            // An actor timer rather than CancelAfter: it runs on the actor system's scheduler, which specs can drive.
            Timers.StartSingleTimer(nameof(AttemptOverran), new AttemptOverran(deliveryId, _attempt), _options.HandlerTimeout);
        }

        attempt.PipeTo(
            Self,
            success: took => new WorkSucceeded(deliveryId, took),
            failure: error => new WorkFailed(deliveryId, Unwrap(error)));
        return null;
    }

    // Runs the handler as a task even if it throws before its first await, so every failure is retried alike.
    // Its time sizes the window.
    private async Task<TimeSpan> InvokeHandlerAsync(WorkContext context, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await _handler.HandleAsync(context, cancellationToken);
        }
        catch
        {
            _metrics?.ProcessingTime.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
            throw;
        }

        // One clock read for both the window and the metric: a read per item is a measurable share of quick work.
        var took = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        _metrics?.ProcessingTime.Record(took.TotalSeconds);
        return took;
    }

    /// <summary>The attempt has returned: its hard limit no longer applies.</summary>
    private void EndAttempt()
    {
        Timers.Cancel(nameof(AttemptOverran));
        _attemptCancel?.Dispose();
        _attemptCancel = null;
        _overran = false;
    }

    private void Finished(DrainTally? drain)
    {
        _held.Remove(_current!.Value.DeliveryId);
        _current = null;
        if (drain is not null)
        {
            drain.Finished++;
        }
    }

    private void ReportDrainedIfIdle(DrainTally? drain)
    {
        if (drain is not null && _current is null && _buffer.Count == 0)
        {
            SendTaskDone();
            drain.Requester.Tell(new ConsumerDrained(_id, drain.Finished, drain.HandedBack));
        }
    }

    private void StopIfDrained()
    {
        if (_queueShutDown && _current is null && _buffer.Count == 0)
        {
            SendTaskDone();
            ConsumerLog.QueueShutDown(_log, _id);
            Context.Parent.Tell(new ConsumerFinished(_id));
            Context.Stop(Self);
        }
    }

    private static Exception Unwrap(Exception error) =>
        error is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : error;

    private sealed record WorkSucceeded(long DeliveryId, TimeSpan Took);

    /// <summary>The dead letter's error: the exception's type and message, and for a permanent failure the cause it carries.</summary>
    private static string DescribeFailure(Exception error) =>
        error is PermanentItemFailureException { InnerException: { } cause }
            ? $"{error.GetType().Name}: {error.Message} ({cause.GetType().Name}: {cause.Message})"
            : $"{error.GetType().Name}: {error.Message}";

    private sealed record WorkFailed(long DeliveryId, Exception Error);

    private sealed record RetryWork(long DeliveryId);

    private sealed record AttemptOverran(long DeliveryId, int Attempt);

    private sealed class FlushAcks
    {
        public static readonly FlushAcks Instance = new();
        private FlushAcks() { }
    }

    private sealed class RefreshRequest
    {
        public static readonly RefreshRequest Instance = new();
        private RefreshRequest() { }
    }
}
