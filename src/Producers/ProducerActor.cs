using ActorPipeline.Coordinator;
using Akka.Actor;
using Microsoft.Extensions.Logging;
using static ActorPipeline.Coordinator.QueueProtocol;
using static ActorPipeline.Producers.ProducerProtocol;

namespace ActorPipeline.Producers;

/// <summary>
/// The seed's <c>produce</c>: takes items from its source one at a time and puts each on the
/// queue, waiting for the acceptance before taking the next (<c>await q.put</c>), so a full
/// queue slows the source down instead of piling items up in memory.
/// </summary>
public sealed class ProducerActor : ReceiveActor
{
    private readonly int _id;
    private readonly string _producerId;
    private readonly IItemSource _source;
    private readonly IActorRef _coordinator;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private IAsyncEnumerator<ReadOnlyMemory<byte>>? _items;
    private QueueItem? _pending;
    private long _sequenceNr;
    private long _added;
    private long _rejected;
    private bool _stopping;
    private bool _failed;

    public ProducerActor(int id, IItemSource source, IActorRef coordinator, ILogger<ProducerActor> log)
    {
        _id = id;
        _producerId = $"producer-{id}";
        _source = source;
        _coordinator = coordinator;
        _log = log;
        Receive<ItemReady>(HandleItemReady);
        Receive<SourceEnded>(HandleSourceEnded);
        Receive<PutAccepted>(HandlePutAccepted);
        Receive<PutRejected>(HandlePutRejected);
        Receive<StopProducing>(HandleStopProducing);
    }

    public static Props Props(int id, IItemSource source, IActorRef coordinator, ILogger<ProducerActor> log) =>
        Akka.Actor.Props.Create(() => new ProducerActor(id, source, coordinator, log));

    protected override void PreStart()
    {
        _items = _source.ReadAsync(_id, _stop.Token).GetAsyncEnumerator(_stop.Token);
        PullNext();
    }

    protected override void PostStop()
    {
        _stop.Cancel();
        _items?.DisposeAsync().AsTask().ContinueWith(_ => _stop.Dispose(), TaskScheduler.Default);
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
            Finish(); // made but never offered: the queue did not accept it, so nothing is lost
            return;
        }

        _pending = new QueueItem(ready.Payload, DateTime.UtcNow);
        _coordinator.Tell(new Put(_producerId, ++_sequenceNr, [_pending]));
    }

    private void HandleSourceEnded(SourceEnded ended)
    {
        if (ended.Error is not null && !(_stopping && ended.Error is OperationCanceledException))
        {
            _failed = true;
            ProducerLog.SourceFailed(_log, _id, ended.Error);
        }

        Finish();
    }

    private void HandlePutAccepted(PutAccepted accepted)
    {
        _added += accepted.Count;
        if (_log.IsEnabled(LogLevel.Information))
        {
            ProducerLog.Added(_log, _id, _pending!.Hex);
        }

        _pending = null;
        if (_stopping)
        {
            Finish();
        }
        else
        {
            PullNext();
        }
    }

    private void HandlePutRejected(PutRejected rejected)
    {
        _added += rejected.Accepted;
        var refused = 1 - rejected.Accepted; // one item per put
        _rejected += refused;
        ProducerLog.Rejected(_log, _id, refused, rejected.Reason.ToString());
        _pending = null;
        Finish();
    }

    private void HandleStopProducing(StopProducing _)
    {
        _stopping = true;
        _stop.Cancel(); // ends a sleep in the source at once
        if (_pending is null)
        {
            Finish();
        }
    }

    /// <summary>Reports once; the pool stops this actor after reading the report, so the report is never overtaken.</summary>
    private void Finish()
    {
        ProducerLog.Finished(_log, _id, _added);
        Context.Parent.Tell(new ProducerFinished(_id, _added, _rejected, _failed));
        Become(Finished);
    }

    private void Finished()
    {
        ReceiveAny(_ => { }); // late source results and repeated stops after the report change nothing
    }

    private sealed record ItemReady(ReadOnlyMemory<byte> Payload);

    private sealed record SourceEnded(Exception? Error);
}
