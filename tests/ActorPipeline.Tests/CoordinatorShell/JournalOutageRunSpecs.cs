using System.Collections.Concurrent;
using ActorPipeline.Consumers;
using ActorPipeline.Coordinator;
using ActorPipeline.Producers;
using ActorPipeline.Tests.Fakes;
using Akka.Actor;
using Akka.Hosting;
using Akka.Persistence.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Tests.CoordinatorShell;

/// <summary>
/// Real producers and consumers on the supervised coordinator the service runs, over a journal that is
/// switched off mid-run: the coordinator stops on the failed write, its supervisor restarts it with
/// back-off until the journal answers, and the run completes with every item completed exactly once.
/// </summary>
public sealed class JournalOutageRunSpecs(ITestOutputHelper output) : Akka.Hosting.TestKit.TestKit(output: output)
{
    private const int Producers = 3;
    private const int ItemsPerProducer = 200; // the item's second byte is its index
    private const int Consumers = 3;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly CoordinatorFailure _failure = new(); // what the host reads

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static QueueOptions Options => new()
    {
        ExpectedProducers = Producers,
        AckTimeout = TimeSpan.FromSeconds(5),
        JournalRetryBackoff = TimeSpan.FromMilliseconds(20),
        MaxJournalRetryBackoff = TimeSpan.FromMilliseconds(100),
        JournalOutageLimit = TimeSpan.FromMinutes(1),
        ProgressInterval = TimeSpan.Zero,
    };

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider)
    {
        var loggers = provider.GetRequiredService<ILoggerFactory>();
        builder.AddHocon(SwitchableJournal.Hocon, HoconAddMode.Prepend)
            .WithInMemorySnapshotStore()
            .WithActors((system, registry) => registry.Register<CoordinatorKey>(
                system.ActorOf(CoordinatorActor.SupervisedProps(Options, loggers, _failure, time: _time), "coordinator")));
    }

    [Fact]
    public async Task Should_complete_every_item_once_when_the_journal_fails_for_a_while_mid_run()
    {
        var coordinator = ActorRegistry.Get<CoordinatorKey>();
        var loggers = Host.Services.GetRequiredService<ILoggerFactory>();
        var processed = new ConcurrentDictionary<string, int>();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new DelegateWorkHandler(async (context, cancellationToken) =>
        {
            processed.AddOrUpdate(context.Item.Hex, 1, (_, n) => n + 1);
            if (processed.Count >= 50)
            {
                await release.Task.WaitAsync(cancellationToken); // holds the run mid-way until the journal is off
            }
        });
        var producerOptions = new ProducerOptions { ResendAfter = TimeSpan.FromMilliseconds(50), MaxResendBackoff = TimeSpan.FromMilliseconds(200), BatchSize = 20 };
        var consumerOptions = new ConsumerOptions { Prefetch = 4, RefreshInterval = TimeSpan.FromMilliseconds(100) };
        for (var i = 0; i < Consumers; i++)
        {
            ChildActorOf(ConsumerActor.Props(i, handler, coordinator, consumerOptions, loggers.CreateLogger<ConsumerActor>()), Ct);
        }

        for (var i = 0; i < Producers; i++)
        {
            ChildActorOf(ProducerActor.Props(i, $"producer-{i}", new CountingItemSource(ItemsPerProducer), coordinator, producerOptions, loggers.CreateLogger<ProducerActor>()), Ct);
        }

        await AwaitConditionAsync(() => Task.FromResult(processed.Count >= 50), TimeSpan.FromSeconds(20), cancellationToken: Ct);

        var journal = SwitchableJournal.Current!; // this system's: the coordinator has written through it by now
        journal.SwitchOff();
        release.SetResult(); // the consumers' task_done now need a write: the coordinator stops on it
        await AwaitConditionAsync(() => Task.FromResult(_failure.JournalOutage is not null), TimeSpan.FromSeconds(20), cancellationToken: Ct);
        var first = _failure.JournalOutage!;
        await AwaitConditionAsync(() => Task.FromResult(_failure.JournalOutage?.Failures > first.Failures), TimeSpan.FromSeconds(20), cancellationToken: Ct); // restarted, and its recovery failed too
        Assert.Equal(first.Since, _failure.JournalOutage!.Since); // one outage, however many failures
        journal.SwitchOn();
        await AwaitConditionAsync(() => Task.FromResult(_failure.JournalOutage is null), TimeSpan.FromSeconds(20), cancellationToken: Ct);

        var completed = await JoinAsync(coordinator);

        var status = completed.Status;
        const long Total = Producers * ItemsPerProducer;
        Assert.Equal((Total, Total, 0L, 0), (status.Accepted, status.Completed, status.DeadLettered, status.Unfinished));
        Assert.Equal(Total, processed.Count); // every item reached a handler; some twice, counted once
    }

    [Fact]
    public async Task Should_give_up_with_one_clear_reason_once_the_outage_outlasts_its_limit()
    {
        var coordinator = ActorRegistry.Get<CoordinatorKey>();
        var producer = CreateTestProbe();
        coordinator.Tell(new RegisterProducer("p"), producer.Ref);
        await producer.ExpectMsgAsync<ProducerRegistered>(TimeSpan.FromSeconds(10), cancellationToken: Ct);
        var journal = SwitchableJournal.Current!; // this system's: the registration was stored through it

        journal.SwitchOff();
        coordinator.Tell(new Put("p", 1, [new QueueItem(new byte[] { 1 }, DateTime.UtcNow)]), producer.Ref);
        await AwaitConditionAsync(() => Task.FromResult(_failure.JournalOutage is not null), TimeSpan.FromSeconds(10), cancellationToken: Ct);
        Assert.False(_failure.Failed.IsCompleted); // an outage within its limit is survived
        _time.Advance(Options.JournalOutageLimit);

        var reason = await _failure.Failed.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.Contains("Pipeline:Queue:JournalOutageLimit", reason, StringComparison.Ordinal);
        Assert.Contains("Nothing acknowledged is lost", reason, StringComparison.Ordinal);
    }

    /// <summary>The runner's join, asked again until answered: while the coordinator restarts, an ask can fall between incarnations.</summary>
    private static async Task<RunCompleted> JoinAsync(IActorRef coordinator)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            try
            {
                return await coordinator.Ask<RunCompleted>(JoinRun.Instance, TimeSpan.FromSeconds(5), limit.Token);
            }
            catch (AskTimeoutException)
            {
                // asked again: the join is idempotent
            }
        }
    }
}
