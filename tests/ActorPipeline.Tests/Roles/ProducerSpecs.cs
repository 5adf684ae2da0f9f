using Akka.Persistence.Hosting;
using ActorPipeline.Coordinator;
using ActorPipeline.Producers;
using ActorPipeline.Tests.Fakes;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;
using static ActorPipeline.Producers.ProducerProtocol;

namespace ActorPipeline.Tests.Roles;

/// <summary>Producer actors against the real coordinator (capacity 1), one item per put: gather, backpressure, failures, stop.</summary>
public abstract class ProducerSpecsBase : Akka.Hosting.TestKit.TestKit
{
    private protected ProducerSpecsBase(CountingItemSource source, ITestOutputHelper output)
        : base(output: output) => Source = source;

    private protected CountingItemSource Source { get; }

    private protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    private protected IActorRef Queue => ActorRegistry.Get<CoordinatorKey>();

    private protected IActorRef Producers => ActorRegistry.Get<ProducersKey>();

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider)
    {
        var loggers = provider.GetRequiredService<ILoggerFactory>();
        builder.WithInMemoryJournal().WithInMemorySnapshotStore().AddCoordinator(new QueueOptions { Capacity = 1, ExpectedProducers = 0 }, loggers)
            .AddProducers(new ProducerOptions { Count = 3, BatchSize = 1 }, Source, "spec-node", loggers); // the seed's one put at a time
    }

    private protected async Task<ProducersFinished> GatherAsync() =>
        await Producers.Ask<ProducersFinished>(WhenProducersFinished.Instance, RemainingOrDefault, Ct);

    private protected async Task<QueueStatus> StatusAsync() => await Queue.Ask<QueueStatus>(GetStatus.Instance, RemainingOrDefault, Ct);

    /// <summary>Drains the queue with a probe consumer that marks every item done; returns the items in delivery order.</summary>
    private protected async Task<List<string>> ConsumeAsync(int count)
    {
        var consumer = CreateTestProbe();
        var got = new List<string>();
        while (got.Count < count)
        {
            Queue.Tell(new Get(1), consumer.Ref);
            var delivered = Assert.Single((await consumer.ExpectMsgAsync<Delivery>(cancellationToken: Ct)).Items);
            got.Add(delivered.Item.Hex);
            Queue.Tell(new TaskDone(delivered.DeliveryId), consumer.Ref);
        }

        return got;
    }
}

public sealed class ProducerSpecs(ITestOutputHelper output) : ProducerSpecsBase(new CountingItemSource(itemsPerProducer: 4), output)
{
    [Fact]
    public async Task Should_put_every_item_of_every_source_in_order_and_answer_the_gather_when_all_are_done()
    {
        Producers.Tell(StartProducing.Instance);

        var got = await ConsumeAsync(12);
        var finished = await GatherAsync();

        Assert.Equal((3, 12L, 0L, 0), (finished.Producers, finished.Added, finished.Rejected, finished.Failed));
        for (var producer = 0; producer < 3; producer++)
        {
            var own = got.Where(h => h.StartsWith($"0{producer}", StringComparison.Ordinal)).ToList();
            Assert.Equal(Enumerable.Range(0, 4).Select(i => $"0{producer}0{i}"), own);
        }
    }

    [Fact]
    public async Task Should_take_no_further_item_while_its_put_waits_for_room()
    {
        Producers.Tell(StartProducing.Instance);

        // One item fits; then every producer holds exactly one parked put and has taken nothing beyond it.
        await AwaitAssertAsync(async () =>
        {
            var status = await StatusAsync();
            Assert.Equal((1, 3), (status.Size, status.ParkedPuts));
        }, cancellationToken: Ct);
        Assert.Equal(4, Source.Taken);

        await ConsumeAsync(12);
        Assert.Equal(12L, (await GatherAsync()).Added);
    }
}

public sealed class StoppingProducerSpecs(ITestOutputHelper output)
    : ProducerSpecsBase(new CountingItemSource(itemsPerProducer: 4, hangAfter: 1), output)
{
    [Fact]
    public async Task Should_stop_producing_on_request_take_back_the_puts_waiting_for_room_and_report_what_it_added()
    {
        // Each producer puts one item and then waits in its source; the queue holds one, two puts wait for room.
        Producers.Tell(StartProducing.Instance);
        await AwaitAssertAsync(async () => Assert.Equal(2, (await StatusAsync()).ParkedPuts), cancellationToken: Ct);

        Producers.Tell(StopProducing.Instance);

        // The stop does not wait for room that only consumers could make: the two waiting puts are taken back
        // (their producers' restarts put those items again), the waits in the sources end at once.
        var finished = await GatherAsync();
        Assert.Equal((1L, 0L, 0), (finished.Added, finished.Rejected, finished.Failed));
        var status = await StatusAsync();
        Assert.Equal((1L, 0), (status.Accepted, status.ParkedPuts));
        Assert.Single(await ConsumeAsync(1));
        Assert.Equal(3, Source.Taken); // nothing was taken from a source after the stop
        Assert.Equal(1L, (await StatusAsync()).Accepted); // room made now admits nothing of what was taken back
    }
}

public sealed class FailingSourceProducerSpecs(ITestOutputHelper output)
    : ProducerSpecsBase(new CountingItemSource(itemsPerProducer: 4, failAfter: 1), output)
{
    [Fact]
    public async Task Should_report_producers_whose_source_fails_and_keep_what_they_added()
    {
        Producers.Tell(StartProducing.Instance);
        await ConsumeAsync(3);

        var finished = await GatherAsync();

        Assert.Equal((3L, 3), (finished.Added, finished.Failed));
    }
}

public sealed class HangingSourceProducerSpecs(ITestOutputHelper output)
    : ProducerSpecsBase(new CountingItemSource(itemsPerProducer: 4, hangAfter: 0), output)
{
    [Fact]
    public async Task Should_end_a_sleep_in_the_source_when_asked_to_stop()
    {
        Producers.Tell(StartProducing.Instance);
        await AwaitConditionAsync(() => Task.FromResult(Source.Hanging == 3), cancellationToken: Ct); // every source asleep
        Producers.Tell(StopProducing.Instance);

        var finished = await GatherAsync(); // answers only once all three sleeps have ended

        // A cancelled sleep is a stop, not a failure.
        Assert.Equal((3, 0L, 0, 3), (finished.Producers, finished.Added, finished.Failed, finished.StoppedEarly));
    }
}

public sealed class OversizedItemProducerSpecs(ITestOutputHelper output)
    : ProducerSpecsBase(new CountingItemSource(itemsPerProducer: 4, oversizedAt: 1, oversizedBytes: new QueueOptions().MaxItemBytes + 1), output)
{
    [Fact]
    public async Task Should_report_an_item_the_queue_refuses_as_too_large_and_go_on_with_the_rest()
    {
        Producers.Tell(StartProducing.Instance);

        var got = await ConsumeAsync(9);
        var finished = await GatherAsync();

        // Each producer's second item is refused and counted; its third and fourth still go in, in order.
        Assert.Equal((9L, 3L, 3), (finished.Added, finished.Rejected, finished.Failed));
        Assert.Equal(9L, (await StatusAsync()).Accepted);
        for (var producer = 0; producer < 3; producer++)
        {
            Assert.Equal([$"0{producer}00", $"0{producer}02", $"0{producer}03"], got.Where(h => h.StartsWith($"0{producer}", StringComparison.Ordinal)));
        }
    }
}
