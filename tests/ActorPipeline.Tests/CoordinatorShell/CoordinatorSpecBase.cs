using Akka.Persistence.Hosting;
using ActorPipeline.Coordinator;
using Akka.Actor;
using Akka.Hosting;
using Akka.TestKit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Tests.CoordinatorShell;

/// <summary>An actor system with the coordinator registered by the production <c>AddCoordinator</c>, and the moves every spec needs.</summary>
public abstract class CoordinatorSpecBase(int capacity, ITestOutputHelper output, int expectedProducers = 0)
    : Akka.Hosting.TestKit.TestKit(output: output)
{
    private protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    private protected IActorRef Queue => ActorRegistry.Get<CoordinatorKey>();

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider) =>
        builder.WithInMemoryJournal().WithInMemorySnapshotStore().AddCoordinator(
            new QueueOptions { Capacity = capacity, ExpectedProducers = expectedProducers },
            provider.GetRequiredService<ILoggerFactory>());

    private protected static QueueItem Item(string hex) => new(Convert.FromHexString(hex), DateTime.UtcNow);

    private long _sequenceNr;

    /// <summary>A put of one item under the next sequence number (the coordinator treats a repeated one as a resend).</summary>
    private protected Put PutOne(TestProbe producer, string hex, bool wait = true) =>
        new(producer.Ref.Path.Name, ++_sequenceNr, [Item(hex)], wait);

    /// <summary>Puts one item and waits for its acceptance (asyncio's <c>await q.put(x)</c> when there is room).</summary>
    private protected async Task PutAsync(TestProbe producer, string hex)
    {
        Queue.Tell(PutOne(producer, hex), producer.Ref);
        await producer.ExpectMsgAsync<PutAccepted>(cancellationToken: Ct);
    }

    /// <summary>Gets one item (asyncio's <c>await q.get()</c>) and returns its delivery.</summary>
    private protected async Task<DeliveredItem> GetAsync(TestProbe consumer)
    {
        Queue.Tell(new Get(1), consumer.Ref);
        var delivery = await consumer.ExpectMsgAsync<Delivery>(cancellationToken: Ct);
        return Assert.Single(delivery.Items);
    }

    private protected async Task<QueueStatus> StatusAsync() =>
        await Queue.Ask<QueueStatus>(GetStatus.Instance, RemainingOrDefault, Ct);
}
