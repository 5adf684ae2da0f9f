using Akka.Persistence.Hosting;
using ActorPipeline.Consumers;
using ActorPipeline.Coordinator;
using ActorPipeline.Tests.Fakes;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static ActorPipeline.Consumers.ConsumerProtocol;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Tests.Roles;

/// <summary>Consumer actors against the real coordinator: retries, dead letters, lost consumers, cancellation.</summary>
public sealed class ConsumerSpecs(ITestOutputHelper output) : Akka.Hosting.TestKit.TestKit(output: output)
{
    private readonly ScriptedWorkHandler _handler = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IActorRef Queue => ActorRegistry.Get<CoordinatorKey>();

    private IActorRef Consumers => ActorRegistry.Get<ConsumersKey>();

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider)
    {
        var loggers = provider.GetRequiredService<ILoggerFactory>();
        var options = new ConsumerOptions { Count = 2, MaxAttempts = 3, RetryBackoff = TimeSpan.FromMilliseconds(10) };
        builder.WithInMemoryJournal().WithInMemorySnapshotStore().AddCoordinator(new QueueOptions { ExpectedProducers = 0 }, loggers).AddConsumers(options, _handler, loggers);
    }

    [Fact]
    public async Task Should_retry_a_failing_handler_and_complete_the_item_once_it_succeeds()
    {
        _handler.Fail("0f", attempts: 2);
        await PutAsync("01", "0f", "02");

        Consumers.Tell(StartConsuming.Instance);
        await JoinAsync();

        Assert.Equal(3, _handler.AttemptsAt("0f"));
        Assert.Equal([1, 2, 3], _handler.Attempts.Where(a => a.Item.Hex == "0f").Select(a => a.Attempt));
        var status = await StatusAsync();
        Assert.Equal((3L, 0L), (status.Completed, status.DeadLettered));
    }

    [Fact]
    public async Task Should_dead_letter_an_item_after_its_last_attempt_and_go_on_with_the_rest()
    {
        _handler.Fail("0bad", attempts: int.MaxValue);
        await PutAsync("01", "0bad", "02");

        Consumers.Tell(StartConsuming.Instance);
        await JoinAsync();

        Assert.Equal(3, _handler.AttemptsAt("0bad"));
        var dead = Assert.Single((await Queue.Ask<DeadLetters>(GetDeadLetters.Instance, RemainingOrDefault, Ct)).Items);
        Assert.Equal(("0bad", 3), (dead.Item.Hex, dead.Attempts));
        Assert.Contains("scripted failure 3 of 0bad", dead.Error, StringComparison.Ordinal);
        Assert.Equal(["01", "02"], _handler.Completed.Order());
    }

    [Fact]
    public async Task Should_dead_letter_an_item_that_failed_permanently_at_its_first_attempt_and_still_retry_a_transient_failure()
    {
        _handler.FailPermanently("0de1").Fail("0f", attempts: 2);
        await PutAsync("01", "0de1", "0f", "02");

        Consumers.Tell(StartConsuming.Instance);
        await JoinAsync();

        Assert.Equal(1, _handler.AttemptsAt("0de1"));
        Assert.Equal(3, _handler.AttemptsAt("0f")); // any other exception keeps its retries with backoff
        var dead = Assert.Single((await Queue.Ask<DeadLetters>(GetDeadLetters.Instance, RemainingOrDefault, Ct)).Items);
        Assert.Equal(("0de1", 1), (dead.Item.Hex, dead.Attempts));
        Assert.Equal("PermanentItemFailureException: the input of 0de1 is gone (FileNotFoundException: 0de1.dat)", dead.Error);
        Assert.Equal(["01", "02", "0f"], _handler.Completed.Order());
    }

    [Fact]
    public async Task Should_replace_a_consumer_that_dies_and_redeliver_what_it_held()
    {
        _handler.HangOnce("0d");
        await PutAsync("0d");
        Consumers.Tell(StartConsuming.Instance);
        await AwaitConditionAsync(() => Task.FromResult(_handler.AttemptsAt("0d") == 1), cancellationToken: Ct);
        var holder = _handler.Attempts.Single().ConsumerId;

        var victim = await Sys.ActorSelection($"/user/consumers/consumer-{holder}").ResolveOne(RemainingOrDefault, Ct);
        victim.Tell(Kill.Instance); // an actor failure, not a handler failure: the pool stops it and starts another

        await JoinAsync();
        Assert.Equal(["0d"], _handler.Completed);
        Assert.Equal(1, (await StatusAsync()).Redelivered);
        await AwaitAssertAsync(
            async () => Assert.NotNull(await Sys.ActorSelection($"/user/consumers/consumer-{holder}-r1").ResolveOne(RemainingOrDefault, Ct)),
            cancellationToken: Ct);
    }

    [Fact]
    public async Task Should_cancel_consumers_and_put_the_work_in_progress_back_on_the_queue()
    {
        _handler.HangAlways("0e");
        await PutAsync("0e");
        Consumers.Tell(StartConsuming.Instance);
        await AwaitConditionAsync(() => Task.FromResult(_handler.AttemptsAt("0e") == 1), cancellationToken: Ct);

        var cancelled = await Consumers.Ask<ConsumersCancelled>(CancelConsumers.Instance, RemainingOrDefault, Ct);

        Assert.Equal(2, cancelled.Consumers);
        await AwaitAssertAsync(async () =>
        {
            var status = await StatusAsync();
            Assert.Equal((1, 0, 0L), (status.Size, status.InFlight, status.Completed));
        }, cancellationToken: Ct);
        Assert.Empty(_handler.Completed);
    }

    [Fact]
    public async Task Should_finish_the_queued_work_and_stop_when_the_queue_is_shut_down()
    {
        Consumers.Tell(StartConsuming.Instance);
        var watcher = CreateTestProbe();
        foreach (var name in new[] { "consumer-0", "consumer-1" })
        {
            IActorRef? consumer = null;
            await AwaitAssertAsync(async () => consumer = await Sys.ActorSelection($"/user/consumers/{name}").ResolveOne(RemainingOrDefault, Ct), cancellationToken: Ct);
            watcher.Watch(consumer!);
        }

        await PutAsync("01", "02", "03");
        await Queue.Ask<ShutdownAck>(new Shutdown(Immediate: false), RemainingOrDefault, Ct);

        await watcher.ExpectMsgAsync<Terminated>(cancellationToken: Ct);
        await watcher.ExpectMsgAsync<Terminated>(cancellationToken: Ct);
        Assert.Equal(["01", "02", "03"], _handler.Completed.Order());
        Assert.Equal(3, (await StatusAsync()).Completed);
    }

    private async Task PutAsync(params string[] hexes)
    {
        var producer = CreateTestProbe();
        Queue.Tell(new Put("test", 1, [.. hexes.Select(h => new QueueItem(Convert.FromHexString(h), DateTime.UtcNow))]), producer.Ref);
        await producer.ExpectMsgAsync<PutAccepted>(cancellationToken: Ct);
    }

    private async Task JoinAsync() => await Queue.Ask<Joined>(Join.Instance, RemainingOrDefault, Ct);

    private async Task<QueueStatus> StatusAsync() => await Queue.Ask<QueueStatus>(GetStatus.Instance, RemainingOrDefault, Ct);
}
