using ActorPipeline.Coordinator.Actor;
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
/// <remarks>
/// Its phases are behaviours, each knowing what it waits for: <see cref="Registering"/> (the registration
/// unanswered), <see cref="Producing"/> (reading, nothing unanswered), <see cref="Putting"/> (one put
/// unanswered, reading ahead), <see cref="Stopping"/> (asked to stop with a put unanswered: its withdrawal
/// sent), <see cref="ReportingDone"/> (its completion unanswered) and <see cref="Finished"/>. What it has
/// read and not put is a <see cref="ReadAhead"/>, the one thing that knows where the source stands.
/// </remarks>
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
    private readonly string _job;
    private readonly RegisterProducer _registration;
    private readonly CancellationTokenSource _stop = new();
    private ReadAhead? _reader; // from the registration on; the phases that read get it as their argument, PostStop disposes it
    private long _sequenceNr;
    private long _added;
    private long _rejected;
    private bool _failed;

    /// <param name="id">Its number on its node, for the seed's log lines.</param>
    /// <param name="producerId">Its id, the same across restarts of its node.</param>
    /// <param name="source">Where its items come from.</param>
    /// <param name="coordinator">The coordinator, or its singleton proxy.</param>
    /// <param name="options">The producers' settings.</param>
    /// <param name="log">Where its events go.</param>
    /// <param name="metrics">Instruments to report to, if any.</param>
    /// <param name="node">The node it runs on, with <see cref="ProducerOptions.Count"/> producers; empty if it runs alone, outside a pool.</param>
    /// <param name="job">The job its puts go into: the batch run's (<see cref="JobIds.Run"/>) unless a service names its node's job.</param>
    public ProducerActor(
        int id, string producerId, IPayloadSource source, IActorRef coordinator, ProducerOptions options, ILogger<ProducerActor> log, PipelineMetrics? metrics = null, string node = "",
        string job = JobIds.Run)
    {
        _metrics = metrics;
        _node = node;
        _job = job;
        _id = id;
        _producerId = producerId;
        _source = source;
        _coordinator = coordinator;
        _options = options;
        _log = log;

        // With its node's producer count, so the run waits for the node's others even if this one finishes first.
        _registration = new RegisterProducer(_producerId, _node, _node.Length == 0 ? 0 : _options.Count);
        Registering();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>
    /// How many items it reads ahead while a put is in flight: a whole batch, for the next put. With a batch
    /// of one it takes nothing while a put is in flight, exactly the seed's <c>await q.put</c>.
    /// </summary>
    private int ReadAheadWhilePutting => _options.BatchSize > 1 ? _options.BatchSize : 0;

    public static Props Props(
        int id, string producerId, IPayloadSource source, IActorRef coordinator, ProducerOptions options, ILogger<ProducerActor> log, PipelineMetrics? metrics = null, string node = "",
        string job = JobIds.Run) =>
        ActorFactory.Props(() => new ProducerActor(id, producerId, source, coordinator, options, log, metrics, node, job));

    protected override void PreStart() => SendReliably(_registration);

    protected override void PostStop()
    {
        _stop.Cancel();
        _reader?.DisposeAsync().AsTask().ContinueWith(_ => _stop.Dispose(), TaskScheduler.Default);
    }

    /// <summary>Its registration is unanswered: it reads nothing and puts nothing until the queue says how far it had got.</summary>
    private void Registering()
    {
        Receive<ProducerRegistered>(HandleRegistered);
        Receive<StopProducing>(_ =>
        {
            // Nothing was put yet: the restart learns what the queue holds.
            _stop.Cancel();
            Acknowledged();
            StopEarly();
        });
        Receive<Resend>(resend => SendAgain(resend, _registration));
        IgnoreTheRest();
    }

    /// <summary>Registered and nothing unanswered: it reads its source, and puts what is ready.</summary>
    private void Producing(ReadAhead reader)
    {
        Receive<ItemReady>(ready =>
        {
            reader.Arrived(ready.Payload);
            Pull(reader);
        });
        Receive<SourceEnded>(ended =>
        {
            EndOfSource(reader, ended);
            SendReady(reader);
        });
        Receive<StopProducing>(_ =>
        {
            _stop.Cancel(); // ends a sleep in the source at once
            StopEarly();
        });
        IgnoreTheRest();
    }

    /// <summary>One put unanswered: it reads the next batch meanwhile, and puts nothing more until the answer.</summary>
    private void Putting(ReadAhead reader, Put put)
    {
        Receive<ItemReady>(ready =>
        {
            reader.Arrived(ready.Payload);
            ReadUpTo(reader, ReadAheadWhilePutting);
        });
        Receive<SourceEnded>(ended => EndOfSource(reader, ended));
        Receive<PutAccepted>(accepted =>
        {
            if (accepted.SequenceNr != put.SequenceNr)
            {
                return; // the answer to a resend of a put already acknowledged
            }

            Acknowledged();
            Added(put.Items, put.Items.Count);
            Become(() => Producing(reader));
            Pull(reader); // with a batch of one, nothing was taken while the put was in flight: the next item now
        });
        Receive<PutRejected>(rejected =>
        {
            if (rejected.SequenceNr != put.SequenceNr)
            {
                return;
            }

            Refused(put, rejected);
            if (rejected.Reason != PutRejection.TooLarge)
            {
                return;
            }

            Become(() => Producing(reader));
            if (put.Items.Count > 1)
            {
                // Refused whole: put its items one by one, so that only the oversized one is left out.
                reader.PutBackOneByOne(put.Items);
                SendReady(reader);
                return;
            }

            Pull(reader);
        });
        Receive<StopProducing>(stop =>
        {
            _stop.Cancel(); // ends a sleep in the source at once
            if (stop.AbandonPutInFlight)
            {
                // The wait for the put's answer is over: the restart learns what the queue holds.
                Acknowledged();
                StopEarly();
                return;
            }

            // A put waiting for room in a bounded queue would hold the stop until consumers made room for items
            // nobody is putting any more: take the rest back. The answer says exactly how many went in, and
            // comes first, so that the producer knows exactly what the queue holds.
            _coordinator.Tell(new WithdrawPut(_producerId, put.SequenceNr));
            Become(() => Stopping(put));
        });
        Receive<Resend>(resend => SendAgain(resend, put));
        IgnoreTheRest();
    }

    /// <summary>
    /// Asked to stop while a put was unanswered: its withdrawal is sent, and the answer (accepted in whole,
    /// or withdrawn with what it admitted) is awaited before the stop. It reads nothing more: what the
    /// source makes now was never offered, and the restarted producer makes it again.
    /// </summary>
    private void Stopping(Put put)
    {
        Receive<PutAccepted>(accepted =>
        {
            if (accepted.SequenceNr != put.SequenceNr)
            {
                return;
            }

            Acknowledged();
            Added(put.Items, put.Items.Count);
            StopEarly();
        });
        Receive<PutRejected>(rejected =>
        {
            if (rejected.SequenceNr != put.SequenceNr)
            {
                return;
            }

            Refused(put, rejected);
            if (rejected.Reason == PutRejection.TooLarge)
            {
                StopEarly(); // its items are not put one by one now: the restart puts them
            }
        });
        Receive<StopProducing>(stop =>
        {
            if (stop.AbandonPutInFlight)
            {
                Acknowledged();
                StopEarly();
            }
        });
        Receive<Resend>(resend =>
        {
            // The put and its withdrawal together, in this order: whichever of the two was lost, the coordinator
            // ends up with the put answered (accepted in whole, or withdrawn with what it admitted).
            SendAgain(resend, put);
            _coordinator.Tell(new WithdrawPut(_producerId, put.SequenceNr));
        });
        IgnoreTheRest();
    }

    /// <summary>
    /// It told the coordinator that it puts nothing more, and waits for that to be acknowledged; the pool
    /// learns it then. It reads nothing more, and a stop changes nothing: it is done, and saying so.
    /// </summary>
    private void ReportingDone(ProducerDone done)
    {
        Receive<ProducerDoneAck>(_ =>
        {
            Acknowledged();
            ProducerLog.Finished(_log, _id, _added);
            Context.Parent.Tell(new ProducerFinished(_id, _added, _rejected, _failed));
            Become(Finished);
        });
        Receive<Resend>(resend => SendAgain(resend, done));
        IgnoreTheRest();
    }

    private void Finished()
    {
        ReceiveAny(_ => { }); // late source results, duplicate acks and repeated stops change nothing now
    }

    /// <summary>
    /// Last in every phase but the end: what the phase has no use for changes nothing. Answers to resends of
    /// what was answered already, a stop repeated, the source's results once the producer no longer reads it.
    /// </summary>
    private void IgnoreTheRest()
    {
        Receive<ProducerRegistered>(_ => { }); // a late duplicate
        Receive<PutAccepted>(_ => { });
        Receive<PutRejected>(_ => { });
        Receive<ProducerDoneAck>(_ => { });
        Receive<StopProducing>(_ => { });
        Receive<ItemReady>(_ => { });
        Receive<SourceEnded>(_ => { });
        Receive<Resend>(_ => { });
    }

    private void HandleRegistered(ProducerRegistered registered)
    {
        Acknowledged();

        // Restarted under the same id: the queue already holds this producer's first puts and items.
        _sequenceNr = registered.LastAcceptedSequenceNr;
        var skip = registered.AcceptedItems >= 0 ? registered.AcceptedItems : registered.LastAcceptedSequenceNr; // older coordinators: one item per put
        if (_sequenceNr > 0)
        {
            ProducerLog.Resuming(_log, _id, _sequenceNr);
        }

        // The pool numbers its producers below Count; one started on its own (a spec) still counts itself among them.
        var context = new SourceContext(_id, Math.Max(_options.Count, _id + 1), _producerId, _node, skip);
        var reader = new ReadAhead(_source.ReadAsync(context, _stop.Token).GetAsyncEnumerator(_stop.Token), _options);
        _reader = reader;
        Become(() => Producing(reader));
        Pull(reader);
    }

    /// <summary>Reads ahead until a batch is ready, then puts what is ready (producing, with nothing in flight).</summary>
    private void Pull(ReadAhead reader)
    {
        ReadUpTo(reader, _options.BatchSize);
        SendReady(reader);
    }

    /// <summary>Reads until <paramref name="wanted"/> items are ready; the first the source has to wait for arrives as a message.</summary>
    private void ReadUpTo(ReadAhead reader, int wanted) =>
        reader.Fill(wanted)?.PipeTo(
            Self,
            success: item => item is { } payload ? new ItemReady(payload) : new SourceEnded(null),
            failure: error => new SourceEnded(error));

    /// <summary>Puts what is ready; once the source has ended and all is put, reports done.</summary>
    private void SendReady(ReadAhead reader)
    {
        if (!reader.HasReady)
        {
            if (reader.Exhausted)
            {
                ReportDone();
            }

            return;
        }

        var put = new Put(_producerId, ++_sequenceNr, reader.TakeBatch(), Job: _job);
        SendReliably(put);
        Become(() => Putting(reader, put));
        ReadUpTo(reader, ReadAheadWhilePutting); // read the next batch while this one is on its way
    }

    private void EndOfSource(ReadAhead reader, SourceEnded ended)
    {
        reader.Ended();
        if (ended.Error is not null)
        {
            _failed = true;
            ProducerLog.SourceFailed(_log, _id, ended.Error);
        }
    }

    /// <summary>
    /// The put's answer is a refusal: what it admitted is counted, and the refusal's reason decides what comes
    /// next. Only a refusal for size leaves the rest to the phase: any other ends the producing here.
    /// </summary>
    private void Refused(Put put, PutRejected rejected)
    {
        Acknowledged();
        Added(put.Items, rejected.Accepted); // a put parked for room may be in part; the first items of it are
        var refused = put.Items.Count - rejected.Accepted;
        switch (rejected.Reason)
        {
            case PutRejection.TooLarge when put.Items.Count > 1:
                return; // refused whole, none of it counted yet: the phase decides whether to put its items one by one
            case PutRejection.TooLarge:
                // Bad input, not a closed queue: the item is reported (and fails the run's exit code), the rest still goes in.
                _failed = true;
                _rejected += refused;
                ProducerLog.TooLarge(_log, _id, Abbreviated(put.Items[0]), put.Items[0].Payload.Length);
                return;
            case PutRejection.Withdrawn:
                // Taken back as this producer stops: not refused, only not put yet. The restart reads them again.
                StopEarly();
                return;
            case PutRejection.RunOver:
                // The run ended without these items (a node that came back too late): they were not added, and the exit code says so.
                _rejected += refused;
                _failed = true;
                ProducerLog.RunOver(_log, _id, Abbreviated(put.Items[rejected.Accepted]));
                ReportDone();
                return;
            default:
                _rejected += refused;
                ProducerLog.Rejected(_log, _id, refused, rejected.Reason.ToString());
                ReportDone();
                return;
        }
    }

    /// <summary>The first <paramref name="count"/> items of a put are in the queue: the seed's line for each.</summary>
    private void Added(IReadOnlyList<QueueItem> items, int count)
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

    /// <summary>
    /// Stops without reporting done, with nothing unanswered: a stop is not a finish. The coordinator keeps
    /// this producer's place as journaled (its last accepted put and item), so the node started again
    /// resumes right after it; what was read ahead but never offered is read again then.
    /// </summary>
    private void StopEarly()
    {
        ProducerLog.StoppedEarly(_log, _id, _added);
        _coordinator.Tell(new ProducerStopped(_producerId, _sequenceNr)); // its place is kept: the run waits for it to come back
        Context.Parent.Tell(new ProducerFinished(_id, _added, _rejected, _failed, StoppedEarly: true));
        Become(Finished);
    }

    /// <summary>Tells the coordinator this producer puts nothing more; the pool learns it once the coordinator has.</summary>
    private void ReportDone()
    {
        var done = new ProducerDone(_producerId, _sequenceNr);
        SendReliably(done);
        Become(() => ReportingDone(done));
    }

    /// <summary>An oversized item's first bytes, enough to find it without flooding the log.</summary>
    private string Abbreviated(QueueItem item) =>
        item.Payload.Length <= 32 ? _source.Formatter.Describe(item) : $"{Convert.ToHexStringLower(item.Payload.Span[..32])}…";

    /// <summary>Sends a message the coordinator must answer, and resends it until then (see <see cref="SendAgain"/>).</summary>
    private void SendReliably(object message)
    {
        _coordinator.Tell(message);
        Timers.StartSingleTimer(ResendTimer, new Resend(_options.ResendAfter), _options.ResendAfter);
    }

    /// <summary>The message is still unanswered: sent again as it was (the coordinator recognises a resend), the next wait twice as long, up to the longest backoff.</summary>
    private void SendAgain(Resend last, object message)
    {
        _coordinator.Tell(message);
        var next = TimeSpan.FromTicks(Math.Min(last.After.Ticks * 2, _options.MaxResendBackoff.Ticks));
        Timers.StartSingleTimer(ResendTimer, new Resend(next), next);
    }

    private void Acknowledged() => Timers.Cancel(ResendTimer);

    private sealed record ItemReady(ReadOnlyMemory<byte> Payload);

    private sealed record SourceEnded(Exception? Error);

    /// <summary>Time to send the unanswered message again; it had waited <paramref name="After"/>.</summary>
    private sealed record Resend(TimeSpan After);
}
