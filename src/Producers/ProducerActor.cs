using ActorPipeline.Coordinator;
using Akka.Actor;
using Microsoft.Extensions.Logging;
using static ActorPipeline.Coordinator.QueueProtocol;
using static ActorPipeline.Producers.ProducerProtocol;

namespace ActorPipeline.Producers;

/// <summary>
/// The seed's <c>produce</c>: registers with the coordinator, takes items from its source one at a
/// time and puts each, waiting for the acceptance before taking the next (<c>await q.put</c>), so a
/// full queue slows the source instead of piling items up in memory; then reports itself done.
/// Every message to the coordinator is resent with backoff until acknowledged, because on a network
/// (and through a singleton proxy during hand-over) messages are lost; the coordinator recognises
/// resends by producer id and sequence number.
/// </summary>
public sealed class ProducerActor : ReceiveActor, IWithTimers
{
    private const string ResendTimer = "resend";
    private readonly int _id;
    private readonly string _producerId;
    private readonly IItemSource _source;
    private readonly IActorRef _coordinator;
    private readonly ProducerOptions _options;
    private readonly ILogger _log;
    private readonly PipelineMetrics? _metrics;
    private readonly string _node;
    private readonly CancellationTokenSource _stop = new();
    private IAsyncEnumerator<ReadOnlyMemory<byte>>? _items;
    private object? _unacknowledged;
    private TimeSpan _backoff;
    private QueueItem? _pending;
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
        int id, string producerId, IItemSource source, IActorRef coordinator, ProducerOptions options, ILogger<ProducerActor> log, PipelineMetrics? metrics = null, string node = "")
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
        int id, string producerId, IItemSource source, IActorRef coordinator, ProducerOptions options, ILogger<ProducerActor> log, PipelineMetrics? metrics = null, string node = "") =>
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

        // Restarted under the same id: the queue already holds this producer's first puts (one item each).
        _sequenceNr = registered.LastAcceptedSequenceNr;
        if (_sequenceNr > 0)
        {
            ProducerLog.Resuming(_log, _id, _sequenceNr);
        }

        if (_stopping)
        {
            ReportDone();
            return;
        }

        _items = _source.ReadAsync(_id, _producerId, _sequenceNr, _stop.Token).GetAsyncEnumerator(_stop.Token);
        PullNext();
    }

    private void PullNext()
    {
        var items = _items!;
        items.MoveNextAsync().AsTask().PipeTo(
            Self,
            success: more => more ? new ItemReady(items.Current) : new SourceEnded(null),
            failure: error => new SourceEnded(error));
    }

    private void HandleItemReady(ItemReady ready)
    {
        if (_stopping)
        {
            ReportDone(); // made but never offered: the queue did not accept it, so nothing is lost
            return;
        }

        _pending = new QueueItem(ready.Payload, DateTime.UtcNow);
        SendReliably(new Put(_producerId, ++_sequenceNr, [_pending]));
    }

    private void HandleSourceEnded(SourceEnded ended)
    {
        if (ended.Error is not null && !(_stopping && ended.Error is OperationCanceledException))
        {
            _failed = true;
            ProducerLog.SourceFailed(_log, _id, ended.Error);
        }

        ReportDone();
    }

    private void HandlePutAccepted(PutAccepted accepted)
    {
        if (_pending is null || accepted.SequenceNr != _sequenceNr)
        {
            return; // the answer to a resend of a put already acknowledged
        }

        Acknowledged();
        _added += accepted.Count;
        _metrics?.Produced.Add(accepted.Count);
        if (_log.IsEnabled(LogLevel.Information))
        {
            ProducerLog.Added(_log, _id, _pending.Hex);
        }

        _pending = null;
        if (_stopping)
        {
            ReportDone();
        }
        else
        {
            PullNext();
        }
    }

    private void HandlePutRejected(PutRejected rejected)
    {
        if (_pending is null || rejected.SequenceNr != _sequenceNr)
        {
            return;
        }

        Acknowledged();
        _added += rejected.Accepted;
        var refused = 1 - rejected.Accepted; // one item per put
        _rejected += refused;
        var item = _pending;
        _pending = null;
        if (rejected.Reason == PutRejection.TooLarge)
        {
            // Bad input, not a closed queue: the item is reported (and fails the run's exit code), the rest still goes in.
            _failed = true;
            ProducerLog.TooLarge(_log, _id, Abbreviated(item), item.Payload.Length);
            if (_stopping)
            {
                ReportDone();
            }
            else
            {
                PullNext();
            }

            return;
        }

        if (rejected.Reason == PutRejection.RunOver)
        {
            // The run ended without this item (a node that came back too late): it was not added, and the exit code says so.
            _failed = true;
            ProducerLog.RunOver(_log, _id, Abbreviated(item));
            ReportDone();
            return;
        }

        ProducerLog.Rejected(_log, _id, refused, rejected.Reason.ToString());
        ReportDone();
    }

    private void HandleStopProducing(StopProducing _)
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        _stop.Cancel(); // ends a sleep in the source at once
        if (_unacknowledged is null)
        {
            ReportDone(); // waiting on the source: nothing is half-sent
        }
    }

    private void HandleResend(Resend _)
    {
        if (_unacknowledged is null)
        {
            return;
        }

        _coordinator.Tell(_unacknowledged);
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
    private static string Abbreviated(QueueItem item) =>
        item.Payload.Length <= 32 ? item.Hex : $"{Convert.ToHexStringLower(item.Payload.Span[..32])}…";

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
