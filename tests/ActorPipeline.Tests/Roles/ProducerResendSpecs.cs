using ActorPipeline.Producers;
using ActorPipeline.Tests.Fakes;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Configs;
using Microsoft.Extensions.Logging.Abstractions;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;
using static ActorPipeline.Producers.ProducerProtocol;

namespace ActorPipeline.Tests.Roles;

/// <summary>
/// A producer's resends on a fake clock (Akka's <see cref="TestScheduler"/>, which the actor's timers run on),
/// against a probe in the coordinator's place that answers nothing unless told: an unanswered put goes again
/// after the resend interval, once per interval, as the same put (its producer id and sequence number are what
/// the coordinator recognises a resend by), the wait doubling up to the longest backoff; once answered it goes
/// no more. Virtual minutes pass in no time.
/// </summary>
public sealed class ProducerResendSpecs : Akka.TestKit.Xunit.TestKit
{
    private const string Id = "node/producer-0";
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    private readonly TestProbe _coordinator;

    public ProducerResendSpecs(ITestOutputHelper output)
        : base(TestConfigs.TestSchedulerConfig, nameof(ProducerResendSpecs), output) => _coordinator = CreateTestProbe();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private TestScheduler Clock => (TestScheduler)Sys.Scheduler;

    [Fact]
    public async Task Should_resend_an_unanswered_put_as_the_same_put_once_per_interval_and_no_more_once_it_is_accepted()
    {
        var producer = await StartRegisteredAsync(new CountingItemSource(itemsPerProducer: 3), maxBackoff: Interval);
        var put = await _coordinator.ExpectMsgAsync<Put>(cancellationToken: Ct);
        Assert.Equal((Id, 1L, 3), (put.ProducerId, put.SequenceNr, put.Items.Count));

        Assert.Empty(await SentAfterAsync(producer, Interval - Tick));
        for (var interval = 1; interval <= 3; interval++)
        {
            // Exactly one resend per interval, of the same put: the coordinator dedups it by (producer id, sequence number).
            var resent = Assert.Single(await SentAfterAsync(producer, interval == 1 ? Tick : Interval));
            Assert.Equal(Describe(put), Describe(Assert.IsType<Put>(resent)));
        }

        producer.Tell(new PutAccepted(Id, put.SequenceNr, put.Items.Count), _coordinator.Ref);
        Assert.Equal(new ProducerDone(Id, 1), await _coordinator.ExpectMsgAsync<ProducerDone>(cancellationToken: Ct));

        // An interval later only its completion, itself unanswered, goes again: the accepted put does not.
        Assert.Equal([new ProducerDone(Id, 1)], await SentAfterAsync(producer, Interval));
        producer.Tell(new ProducerDoneAck(Id), _coordinator.Ref);
        Assert.Empty(await SentAfterAsync(producer, Interval * 10));
    }

    [Fact]
    public async Task Should_wait_twice_as_long_after_each_resend_up_to_the_longest_backoff()
    {
        var producer = await StartRegisteredAsync(new CountingItemSource(itemsPerProducer: 1), maxBackoff: Interval * 4);
        var put = await _coordinator.ExpectMsgAsync<Put>(cancellationToken: Ct);

        // Resends 1, 3 (1 + 2), 7 (3 + 4) and 11 (7 + 4, the longest backoff) intervals after the put.
        foreach (var wait in new[] { Interval, Interval * 2, Interval * 4, Interval * 4 })
        {
            Assert.Empty(await SentAfterAsync(producer, wait - Tick));
            Assert.Equal(Describe(put), Describe(Assert.IsType<Put>(Assert.Single(await SentAfterAsync(producer, Tick)))));
        }
    }

    [Fact]
    public async Task Should_resend_the_put_and_its_withdrawal_together_while_it_stops_and_nothing_once_the_withdrawal_is_answered()
    {
        var parent = CreateTestProbe();
        var producer = await StartRegisteredAsync(new CountingItemSource(itemsPerProducer: 2), maxBackoff: Interval, parent);
        var put = await _coordinator.ExpectMsgAsync<Put>(cancellationToken: Ct);
        producer.Tell(StopProducing.Instance, parent.Ref);
        Assert.Equal(new WithdrawPut(Id, put.SequenceNr), await _coordinator.ExpectMsgAsync<WithdrawPut>(cancellationToken: Ct));

        // Whichever of the two was lost, the coordinator gets both again, the put first.
        var resent = await SentAfterAsync(producer, Interval);
        Assert.Equal(2, resent.Count);
        Assert.Equal(Describe(put), Describe(Assert.IsType<Put>(resent[0])));
        Assert.Equal(new WithdrawPut(Id, put.SequenceNr), resent[1]);

        producer.Tell(new PutRejected(Id, put.SequenceNr, PutRejection.Withdrawn, 1), _coordinator.Ref);
        Assert.Equal(new ProducerStopped(Id, put.SequenceNr), await _coordinator.ExpectMsgAsync<ProducerStopped>(cancellationToken: Ct));
        var finished = await parent.ExpectMsgAsync<ProducerFinished>(cancellationToken: Ct);
        Assert.Equal((1L, true), (finished.Added, finished.StoppedEarly)); // what the withdrawal admitted counts
        Assert.Empty(await SentAfterAsync(producer, Interval * 10));
    }

    [Fact]
    public async Task Should_ignore_late_duplicate_answers_and_keep_resending_what_is_still_unanswered()
    {
        var parent = CreateTestProbe();
        var producer = await StartRegisteredAsync(new CountingItemSource(itemsPerProducer: 2), maxBackoff: Interval, parent, batchSize: 1);
        var first = await _coordinator.ExpectMsgAsync<Put>(cancellationToken: Ct);
        producer.Tell(new PutAccepted(Id, first.SequenceNr, 1), _coordinator.Ref);
        var second = await _coordinator.ExpectMsgAsync<Put>(cancellationToken: Ct);
        Assert.Equal(2L, second.SequenceNr);

        // Answers to resends of what was answered already: the registration again (taken for a fresh one it would
        // start the source over at sequence number 1), and the first put, accepted or refused, which the second is not.
        producer.Tell(new ProducerRegistered(Id, 0, 0), _coordinator.Ref);
        producer.Tell(new PutAccepted(Id, first.SequenceNr, 1), _coordinator.Ref);
        producer.Tell(new PutRejected(Id, first.SequenceNr, PutRejection.ShutDown, 0), _coordinator.Ref);
        Assert.Empty(await SentAfterAsync(producer, TimeSpan.Zero));
        Assert.Equal(Describe(second), Describe(Assert.IsType<Put>(Assert.Single(await SentAfterAsync(producer, Interval)))));

        producer.Tell(new PutAccepted(Id, second.SequenceNr, 1), _coordinator.Ref);
        Assert.Equal(new ProducerDone(Id, 2), await _coordinator.ExpectMsgAsync<ProducerDone>(cancellationToken: Ct));
        producer.Tell(new PutAccepted(Id, second.SequenceNr, 1), _coordinator.Ref);
        Assert.Equal([new ProducerDone(Id, 2)], await SentAfterAsync(producer, Interval));

        producer.Tell(new ProducerDoneAck(Id), _coordinator.Ref);
        producer.Tell(new ProducerDoneAck(Id), _coordinator.Ref);
        var finished = await parent.ExpectMsgAsync<ProducerFinished>(cancellationToken: Ct);
        Assert.Equal((2L, false), (finished.Added, finished.StoppedEarly));
        Assert.Empty(await SentAfterAsync(producer, Interval * 10));

        // The parent hears of it once: its Identify is answered after both acknowledgements were handled.
        producer.Tell(new Identify(null), parent.Ref);
        await parent.ExpectMsgAsync<ActorIdentity>(cancellationToken: Ct);
    }

    /// <summary>Starts a producer and answers its registration (resent once an interval passes unanswered, like a put).</summary>
    private async Task<IActorRef> StartRegisteredAsync(IPayloadSource source, TimeSpan maxBackoff, TestProbe? parent = null, int batchSize = 10)
    {
        var options = new ProducerOptions { BatchSize = batchSize, ResendAfter = Interval, MaxResendBackoff = maxBackoff };
        var props = ProducerActor.Props(0, Id, source, _coordinator.Ref, options, NullLogger<ProducerActor>.Instance, node: "node");
        var producer = parent is null ? Sys.ActorOf(props) : parent.ChildActorOf(props, cancellationToken: Ct);
        var registration = await _coordinator.ExpectMsgAsync<RegisterProducer>(cancellationToken: Ct);
        Assert.Equal([registration], await SentAfterAsync(producer, Interval));
        producer.Tell(new ProducerRegistered(Id, 0, 0), _coordinator.Ref);
        return producer;
    }

    /// <summary>
    /// Moves the fake clock on and returns what the producer sent the coordinator meanwhile. The timers due by
    /// then are in its mailbox when <see cref="TestScheduler.Advance"/> returns; an <see cref="Identify"/> sent
    /// after them is answered after everything they made it send, so its answer closes the list without a wait.
    /// </summary>
    private async Task<List<object>> SentAfterAsync(IActorRef producer, TimeSpan elapsed)
    {
        // The producer tells a message before it starts that message's resend timer: the clock must not move
        // until the handler that sent what the spec last saw has returned, or the timer would start too late.
        var settled = CreateTestProbe();
        producer.Tell(new Identify(null), settled.Ref);
        await settled.ExpectMsgAsync<ActorIdentity>(cancellationToken: Ct);
        Clock.Advance(elapsed);
        producer.Tell(new Identify(elapsed), _coordinator.Ref);
        var sent = new List<object>();
        for (var message = await _coordinator.ExpectMsgAsync<object>(cancellationToken: Ct); message is not ActorIdentity; message = await _coordinator.ExpectMsgAsync<object>(cancellationToken: Ct))
        {
            sent.Add(message);
        }

        return sent;
    }

    private static (string, long, string) Describe(Put put) => (put.ProducerId, put.SequenceNr, string.Join(",", put.Items.Select(i => i.Hex)));
}
