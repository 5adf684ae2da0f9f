using ActorPipeline.Coordinator;
using ActorPipeline.Tests.CoordinatorRules;
using ActorPipeline.Tests.Fakes;
using Akka.Actor;
using Akka.Hosting;
using Akka.Persistence.Hosting;
using static ActorPipeline.Coordinator.Persistence.QueueEvents;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Tests.CoordinatorShell;

/// <summary>
/// Group commit: while one write is being stored, what the coordinator decides meanwhile waits and goes
/// out as the next write, one journal entry, and nothing it promises is sent before it is stored.
/// </summary>
public sealed class GroupCommitSpecs(ITestOutputHelper output) : Akka.Hosting.TestKit.TestKit(output: output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider) =>
        builder.WithQueueSerializer().AddHocon(GatedJournal.Hocon, HoconAddMode.Prepend).WithInMemorySnapshotStore();

    [Fact]
    public async Task Should_store_the_puts_that_arrive_during_a_write_as_one_entry_and_accept_none_before_it_is_stored()
    {
        var queue = Sys.ActorOf(CoordinatorActor.Props(new QueueOptions { ExpectedProducers = 0 }, new ListLogger()));
        var first = CreateTestProbe();
        queue.Tell(Put("x"), first.Ref);
        await first.ExpectMsgAsync<PutAccepted>(cancellationToken: Ct); // every write so far is stored
        var journal = GatedJournal.Current!;
        var before = journal.Writes.Count;

        // a's acceptance is being written (and held there); b and c arrive meanwhile.
        journal.Close();
        var (a, b, c) = (CreateTestProbe(), CreateTestProbe(), CreateTestProbe());
        queue.Tell(Put("a"), a.Ref);
        await AwaitConditionAsync(() => Task.FromResult(journal.Writes.Count == before + 1), cancellationToken: Ct);
        queue.Tell(Put("b"), b.Ref);
        queue.Tell(Put("c"), c.Ref);
        var status = await queue.Ask<QueueStatus>(GetStatus.Instance, Ct); // b and c are in the state now
        Assert.Equal((4L, 4), (status.Accepted, status.Size));
        Assert.Equal(before + 1, journal.Writes.Count); // they wait behind a's write
        await a.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100), Ct);
        await b.ExpectNoMsgAsync(TimeSpan.Zero, Ct);
        await c.ExpectNoMsgAsync(TimeSpan.Zero, Ct);

        journal.Open();
        Assert.Equal("a", (await a.ExpectMsgAsync<PutAccepted>(cancellationToken: Ct)).ProducerId);
        Assert.Equal("b", (await b.ExpectMsgAsync<PutAccepted>(cancellationToken: Ct)).ProducerId);
        Assert.Equal("c", (await c.ExpectMsgAsync<PutAccepted>(cancellationToken: Ct)).ProducerId);

        var writes = journal.Writes.ToList();
        Assert.Equal(before + 2, writes.Count);
        var group = Assert.IsType<EventGroup>(Assert.Single(writes[^1]));
        Assert.Equal(["b", "c"], group.Events.OfType<ItemsAccepted>().Select(e => e.ProducerId));

        // A coordinator that recovers from these entries holds what this one held.
        await StopAsync(queue);
        var recovered = Sys.ActorOf(CoordinatorActor.Props(new QueueOptions { ExpectedProducers = 0 }, new ListLogger()));
        var after = await recovered.Ask<QueueStatus>(GetStatus.Instance, Ct);
        Assert.Equal((4L, 4), (after.Accepted, after.Size));
    }

    [Fact]
    public async Task Should_answer_a_resent_put_only_once_the_write_that_accepted_it_is_stored()
    {
        var queue = Sys.ActorOf(CoordinatorActor.Props(new QueueOptions { ExpectedProducers = 0 }, new ListLogger()));
        var producer = CreateTestProbe();
        queue.Tell(Put("x"), producer.Ref);
        await producer.ExpectMsgAsync<PutAccepted>(cancellationToken: Ct);
        var journal = GatedJournal.Current!;

        // The put is accepted in the state, its write held; its resend (a lost answer) must not be answered before the write is stored.
        journal.Close();
        var before = journal.Writes.Count;
        queue.Tell(Put("p"), producer.Ref);
        await AwaitConditionAsync(() => Task.FromResult(journal.Writes.Count == before + 1), cancellationToken: Ct);
        queue.Tell(Put("p"), producer.Ref);
        await queue.Ask<QueueStatus>(GetStatus.Instance, Ct);
        await producer.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100), Ct);

        journal.Open();
        await producer.ExpectMsgAsync<PutAccepted>(cancellationToken: Ct);
        await producer.ExpectMsgAsync<PutAccepted>(cancellationToken: Ct);
    }

    private static Put Put(string producer) => new(producer, 1, [new QueueItem(new byte[] { 1 }, DateTime.UtcNow)]);

    private async Task StopAsync(IActorRef actor)
    {
        var watcher = CreateTestProbe();
        watcher.Watch(actor);
        Sys.Stop(actor);
        await watcher.ExpectTerminatedAsync(actor, cancellationToken: Ct);
    }
}
