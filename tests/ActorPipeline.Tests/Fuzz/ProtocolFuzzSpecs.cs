using Akka.Persistence.Hosting;
using System.Collections.Concurrent;
using ActorPipeline.Consumers;
using ActorPipeline.Coordinator;
using ActorPipeline.Producers;
using ActorPipeline.Tests.Fakes;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;
using static ActorPipeline.Producers.ProducerProtocol;

namespace ActorPipeline.Tests.Fuzz;

/// <summary>
/// In the spirit of Akka.NET's ReliableDeliveryRandomSpecs: real producer and consumer actors talk
/// to the real coordinator through links that drop, repeat and delay 10–30% of the messages each
/// way. Whatever the seed, every item must be completed exactly once in the coordinator's
/// accounting (it may be processed more than once), and the run's join must be answered.
/// </summary>
public sealed class ProtocolFuzzSpecs(ITestOutputHelper output) : Akka.Hosting.TestKit.TestKit(output: output)
{
    private readonly ITestOutputHelper _output = output;

    private const int Producers = 3;
    private const int ItemsPerProducer = 25;
    private const int Consumers = 3;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider) =>
        builder.WithInMemoryJournal().WithInMemorySnapshotStore().AddCoordinator(
            new QueueOptions { AckTimeout = TimeSpan.FromMilliseconds(300), MaxDeliveryBatch = 2, ExpectedProducers = Producers },
            provider.GetRequiredService<ILoggerFactory>());

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public async Task Should_complete_every_item_exactly_once_through_a_lossy_repeating_reordering_link(int seed)
    {
        var random = new Random(seed);
        double Rate() => 0.10 + (random.NextDouble() * 0.20);
        var (drop, duplicate, delay) = (Rate(), Rate(), Rate());
        _output.WriteLine($"seed {seed}: drop {drop:P0}, duplicate {duplicate:P0}, delay {delay:P0}");

        var coordinator = ActorRegistry.Get<CoordinatorKey>();
        var loggers = Host.Services.GetRequiredService<ILoggerFactory>();
        var processed = new ConcurrentDictionary<string, int>();
        var handler = new DelegateWorkHandler(context => processed.AddOrUpdate(context.Item.Hex, 1, (_, n) => n + 1));
        var source = new CountingItemSource(ItemsPerProducer);
        var producerOptions = new ProducerOptions { ResendAfter = TimeSpan.FromMilliseconds(50), MaxResendBackoff = TimeSpan.FromMilliseconds(200) };
        var consumerOptions = new ConsumerOptions { Prefetch = 2, RefreshInterval = TimeSpan.FromMilliseconds(100) };

        IActorRef Link(int n) => Sys.ActorOf(ChaosLink.Props(coordinator, (seed * 100) + n, drop, duplicate, delay));
        for (var i = 0; i < Consumers; i++)
        {
            ChildActorOf(ConsumerActor.Props(i, handler, Link(i), consumerOptions, loggers.CreateLogger<ConsumerActor>()), Ct);
        }

        for (var i = 0; i < Producers; i++)
        {
            ChildActorOf(ProducerActor.Props(i, $"producer-{i}", source, Link(50 + i), producerOptions, loggers.CreateLogger<ProducerActor>()), Ct);
        }

        // The runner's join, asked directly: only the producers' and consumers' links are unreliable here.
        var completed = await coordinator.Ask<RunCompleted>(JoinRun.Instance, TimeSpan.FromSeconds(60), Ct);

        var status = completed.Status;
        const long Total = Producers * ItemsPerProducer;
        Assert.Equal((Total, Total, 0L, 0), (status.Accepted, status.Completed, status.DeadLettered, status.Unfinished));
        Assert.Equal(Producers, status.ProducersDone);
        Assert.Equal(Producers * ItemsPerProducer, processed.Count); // every item reached a handler at least once
        var finished = new List<ProducerFinished>();
        for (var i = 0; i < Producers; i++)
        {
            finished.Add(await ExpectMsgAsync<ProducerFinished>(cancellationToken: Ct));
        }

        Assert.Equal(Total, finished.Sum(f => f.Added));
        _output.WriteLine($"processed {processed.Values.Sum()} times for {Total} items; {status.Redelivered} redelivered, {status.DuplicateAcks} duplicate acks");
    }
}
