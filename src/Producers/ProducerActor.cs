using ActorPipeline.Coordinator;
using Akka.Actor;
using Microsoft.Extensions.Logging;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;
using static ActorPipeline.Producers.ProducerProtocol;

namespace ActorPipeline.Producers;

/// <summary>
/// The seed's <c>produce</c>: registers with the coordinator, takes items from its source and puts
/// them, then reports itself done. One put is in flight at a time (<c>await q.put</c>), so a full
/// queue slows the source instead of piling items up in memory; while it waits for the acceptance it
/// reads ahead up to <see cref="ProducerOptions.BatchSize"/> items, which go together in the next put.
/// A source that produces slowly (the seed's sleeps) therefore still puts one item at a time, and a
/// fast one puts whole batches: one message and one journal write for many items.
/// Every message to the coordinator is resent with backoff until acknowledged, because on a network
/// (and through a singleton proxy during hand-over) messages are lost; the coordinator recognises
/// resends by producer id and sequence number.
/// </summary>
internal sealed class ProducerActor : ReceiveActor, IWithTimers
{
    private const string ResendTimer = "resend";
    private readonly int _id;
    private readonly string _producerId;
    private readonly IPayloadSource _source;
    private readonly IActorRef _coordinator;
    private readonly ProducerOptions _options;
    private readonly ILogger _log;
    private readonly PipelineMetrics? _metrics;
    private readonly string _node;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<QueueItem> _ready = []; // read ahead, not yet put
    private IAsyncEnumerator<ReadOnlyMemory<byte>>? _items;
    private object? _unacknowledged;
    private TimeSpan _backoff;
    private QueueItem[]? _inFlight; // the items of the put awaiting its answer
    private bool _pulling;
    private bool _sourceEnded;
    private int _singly; // items to put one per put: a batch refused as too large is split to find the culprit
    private long _sequenceNr;
    private long _added;
    private long _rejected;
    private bool _stopping;
    private bool _failed;

    /// <param name="id">Its number on its node, for the seed's log lines.</param>
    /// <param name="producerId">Its id, the same across restarts of its node.</param>
    /// <param name="source">Where its items come from.</param>
    /// <param name="coordinator">The coordinator, or its singleton proxy.</param>
    /// <param name="options">The producers' settings.</param>
    /// <param name="log">Where its events go.</param>
    /// <param name="metrics">Instruments to report to, if any.</param>
    /// <param name="node">The node it runs on, with <see cref="ProducerOptions.Count"/> producers; empty if it runs alone, outside a pool.</param>
    public ProducerActor(
        int id, string producerId, IPayloadSource source, IActorRef coordinator, ProducerOptions options, ILogger<ProducerActor> log, PipelineMetrics? metrics = null, string node = "")
    {
        _metrics = metrics;
        _node = node;
        _id = id;
        _producerId = producerId;
        _source = source;
        _coordinator = coordinator;
        _options = options;
        _log = log;
        Receive<ProducerRegistered>(HandleRegistered);
        Receive<ItemReady>(HandleItemReady);
        Receive<SourceEnded>(HandleSourceEnded);
        Receive<PutAccepted>(HandlePutAccepted);
        Receive<PutRejected>(HandlePutRejected);
        Receive<ProducerDoneAck>(HandleDoneAck);
        Receive<StopProducing>(HandleStopProducing);
        Receive<Resend>(HandleResend);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(
        int id, string producerId, IPayloadSource source, IActorRef coordinator, ProducerOptions options, ILogger<ProducerActor> log, PipelineMetrics? metrics = null, string node = "") =>
        Akka.Actor.Props.Create(() => new ProducerActor(id, producerId, source, coordinator, options, log, metrics, node));

    // With its node's producer count, so the run waits for the node's others even if this one finishes first.
    protected override void PreStart() => SendReliably(new RegisterProducer(_producerId, _node, _node.Length == 0 ? 0 : _options.Count));

    protected override void PostStop()
    {
        _stop.Cancel();
        _items?.DisposeAsync().AsTask().ContinueWith(_ => _stop.Dispose(), TaskScheduler.Default);
    }

    private void HandleRegistered(ProducerRegistered registered)
    {
        if (_unacknowledged is not RegisterProducer)
        {
            return; // a late duplicate
        }

        Acknowledged();

        // Restarted under the same id: the queue already holds this producer's first puts and items.
        _sequenceNr = registered.LastAcceptedSequenceNr;
        var skip = registered.AcceptedItems >= 0 ? registered.AcceptedItems : registered.LastAcceptedSequenceNr; // older coordinators: one item per put
        if (_sequenceNr > 0)
        {
            ProducerLog.Resuming(_log, _id, _sequenceNr);
        }

        if (_stopping)
        {
            StopEarly();
            return;
        }

        // The pool numbers its producers below Count; one started on its own (a spec) still counts itself among them.
        var context = new SourceContext(_id, Math.Max(_options.Count, _id + 1), _producerId, _node, skip);
        _items = _source.ReadAsync(context, _stop.Token).GetAsyncEnumerator(_stop.Token);
        Pull();
    }

    /// <summary>
    /// Reads ahead until a batch is ready: items the source has at once are taken at once, and the
    /// first it has to wait for arrives as a message. Then puts what is ready, if nothing is in flight.
    /// With a batch of one it takes nothing while a put is in flight, exactly the seed's <c>await q.put</c>.
    /// </summary>
    private void Pull()
    {
        while (!_pulling && !_sourceEnded && !_stopping && _ready.Count < _options.BatchSize && (_inFlight is null || _options.BatchSize > 1))
        {
            var next = _items!.MoveNextAsync();
            if (!next.IsCompletedSuccessfully)
            {
                _pulling = true;
                var items = _items;
                next.AsTask().PipeTo(
                    Self,
                    success: more => more ? new ItemReady(items.Current) : new SourceEnded(null),
                    failure: error => new SourceEnded(error));
                break;
            }

            if (!next.Result)
            {
                _sourceEnded = true;
                break;
            }

            _ready.Add(new QueueItem(_items.Current, DateTime.UtcNow));
        }

        SendReady();
    }

    private void HandleItemReady(ItemReady ready)
    {
        _pulling = false;
        if (_stopping)
        {
            // Made but never offered: the queue did not accept it, and the restarted producer makes it again.
            StopEarly();
            return;
        }

        _ready.Add(new QueueItem(ready.Payload, DateTime.UtcNow));
        Pull();
    }

    private void HandleSourceEnded(SourceEnded ended)
    {
        _pulling = false;
        if (_stopping)
        {
            // Whatever the source did once it was cancelled (threw, or just ended), it did not run out: the producer stops early.
            StopEarly();
            return;
        }

        _sourceEnded = true;
        if (ended.Error is not null)
        {
            _failed = true;
            ProducerLog.SourceFailed(_log, _id, ended.Error);
        }

        SendReady();
    }

    /// <summary>Puts what is ready when no put is in flight; once the source has ended and all is put, reports done.</summary>
    private void SendReady()
    {
        if (_inFlight is not null || _unacknowledged is not null)
        {
            return;
        }

        if (_stopping)
        {
            StopEarly();
            return;
        }

        if (_ready.Count == 0)
        {
            if (_sourceEnded)
            {
                ReportDone();
            }

            return;
        }

        var count = _singly > 0 ? 1 : BatchFromReady();
        _singly = Math.Max(0, _singly - 1);
        _inFlight = [.. _ready.GetRange(0, count)];
        _ready.RemoveRange(0, count);
        SendReliably(new Put(_producerId, ++_sequenceNr, _inFlight));
        Pull(); // read the next batch while this one is on its way
    }

    /// <summary>How many of the ready items the next put takes: up to the batch size and the byte budget, and at least one.</summary>
    private int BatchFromReady()
    {
        var count = Math.Min(_options.BatchSize, _ready.Count);
        if (_options.MaxPutBytes is not { } budget)
        {
            return count;
        }

        var bytes = 0L;
        for (var i = 0; i < count; i++)
        {
            bytes += _ready[i].Payload.Length + ProducerOptions.PerItemPutBytes;
            if (bytes > budget)
            {
                return Math.Max(1, i); // an item over the budget alone still goes, and the coordinator says whether it is too large
            }
        }

        return count;
    }

    private void HandlePutAccepted(PutAccepted accepted)
    {
        if (_inFlight is not { } items || accepted.SequenceNr != _sequenceNr)
        {
            return; // the answer to a resend of a put already acknowledged
        }

        Acknowledged();
        _inFlight = null;
        Added(items, items.Length);
        Pull(); // with a batch of one, nothing was taken while the put was in flight: the next item now
    }

    private void HandlePutRejected(PutRejected rejected)
    {
        if (_inFlight is not { } items || rejected.SequenceNr != _sequenceNr)
        {
            return;
        }

        Acknowledged();
        _inFlight = null;
        Added(items, rejected.Accepted); // a put parked for room may be in part; the first items of it are
        var refused = items.Length - rejected.Accepted;
        if (rejected.Reason == PutRejection.TooLarge)
        {
            if (items.Length > 1)
            {
                // Refused whole: put its items one by one, so that only the oversized one is left out.
                _ready.InsertRange(0, items);
                _singly = items.Length;
                SendReady();
                return;
            }

            // Bad input, not a closed queue: the item is reported (and fails the run's exit code), the rest still goes in.
            _failed = true;
            _rejected += refused;
            ProducerLog.TooLarge(_log, _id, Abbreviated(items[0]), items[0].Payload.Length);
            Pull();
            return;
        }

        if (rejected.Reason == PutRejection.Withdrawn)
        {
            // Taken back as this producer stops: not refused, only not put yet. The restart reads them again.
            StopEarly();
            return;
        }

        _rejected += refused;
        if (rejected.Reason == PutRejection.RunOver)
        {
            // The run ended without these items (a node that came back too late): they were not added, and the exit code says so.
            _failed = true;
            ProducerLog.RunOver(_log, _id, Abbreviated(items[rejected.Accepted]));
            ReportDone();
            return;
        }

        ProducerLog.Rejected(_log, _id, refused, rejected.Reason.ToString());
        ReportDone();
    }

    /// <summary>The first <paramref name="count"/> items of a put are in the queue: the seed's line for each.</summary>
    private void Added(QueueItem[] items, int count)
    {
        _added += count;
        _metrics?.Produced.Add(count);
        if (_log.IsEnabled(LogLevel.Information))
        {
            for (var i = 0; i < count; i++)
            {
                ProducerLog.Added(_log, _id, _source.Formatter.Describe(items[i]));
            }
        }
    }

    private void HandleStopProducing(StopProducing stop)
    {
        if (_unacknowledged is ProducerDone || (_stopping && !stop.AbandonPutInFlight))
        {
            return; // done, and saying so; or already stopping, as asked
        }

        _stopping = true;
        _stop.Cancel(); // ends a sleep in the source at once
        if (_unacknowledged is RegisterProducer || (stop.AbandonPutInFlight && _unacknowledged is Put))
        {
            // Nothing was put yet, or the wait for the put's answer is over: the restart learns what the queue holds.
            Acknowledged();
            _inFlight = null;
        }
        else if (_unacknowledged is Put inFlight)
        {
            // A put waiting for room in a bounded queue would hold the stop until consumers made room for items
            // nobody is putting any more: take the rest back. The answer says exactly how many went in.
            _coordinator.Tell(new WithdrawPut(_producerId, inFlight.SequenceNr));
        }

        // A put in flight is awaited first, so that the producer knows exactly what the queue holds.
        StopEarly();
    }

    /// <summary>
    /// Stops without reporting done once no put is in flight: a stop is not a finish. The coordinator keeps
    /// this producer's place as journaled (its last accepted put and item), so the node started again
    /// resumes right after it; what was read ahead but never offered is read again then.
    /// </summary>
    private void StopEarly()
    {
        if (_unacknowledged is not null)
        {
            return; // the answer to the put in flight comes first
        }

        ProducerLog.StoppedEarly(_log, _id, _added);
        _coordinator.Tell(new ProducerStopped(_producerId, _sequenceNr)); // its place is kept: the run waits for it to come back
        Context.Parent.Tell(new ProducerFinished(_id, _added, _rejected, _failed, StoppedEarly: true));
        Become(Finished);
    }

    private void HandleResend(Resend _)
    {
        if (_unacknowledged is null)
        {
            return;
        }

        _coordinator.Tell(_unacknowledged);
        if (_stopping && _unacknowledged is Put put)
        {
            // The put and its withdrawal together, in this order: whichever of the two was lost, the coordinator
            // ends up with the put answered (accepted in whole, or withdrawn with what it admitted).
            _coordinator.Tell(new WithdrawPut(_producerId, put.SequenceNr));
        }

        _backoff = TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, _options.MaxResendBackoff.Ticks));
        Timers.StartSingleTimer(ResendTimer, Resend.Instance, _backoff);
    }

    private void HandleDoneAck(ProducerDoneAck _)
    {
        if (_unacknowledged is not ProducerDone)
        {
            return;
        }

        Acknowledged();
        ProducerLog.Finished(_log, _id, _added);
        Context.Parent.Tell(new ProducerFinished(_id, _added, _rejected, _failed));
        Become(Finished);
    }

    /// <summary>Tells the coordinator this producer puts nothing more; the pool learns it once the coordinator has.</summary>
    private void ReportDone()
    {
        if (_unacknowledged is ProducerDone)
        {
            return;
        }

        SendReliably(new ProducerDone(_producerId, _sequenceNr));
    }

    /// <summary>An oversized item's first bytes, enough to find it without flooding the log.</summary>
    private string Abbreviated(QueueItem item) =>
        item.Payload.Length <= 32 ? _source.Formatter.Describe(item) : $"{Convert.ToHexStringLower(item.Payload.Span[..32])}…";

    private void SendReliably(object message)
    {
        _unacknowledged = message;
        _backoff = _options.ResendAfter;
        _coordinator.Tell(message);
        Timers.StartSingleTimer(ResendTimer, Resend.Instance, _backoff);
    }

    private void Acknowledged()
    {
        _unacknowledged = null;
        Timers.Cancel(ResendTimer);
    }

    private void Finished()
    {
        ReceiveAny(_ => { }); // late source results, duplicate acks and repeated stops change nothing now
    }

    private sealed record ItemReady(ReadOnlyMemory<byte> Payload);

    private sealed record SourceEnded(Exception? Error);

    private sealed class Resend
    {
        public static readonly Resend Instance = new();
        private Resend() { }
    }
}
