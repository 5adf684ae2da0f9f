using System.Collections.Concurrent;
using ActorPipeline.Consumers;
using ActorPipeline.Coordinator;
using ActorPipeline.Tests.Fakes;
using Akka.Actor;
using Akka.Hosting;
using Akka.Persistence.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Tests.Roles;

/// <summary>
/// Leases: a consumer renews what it holds well inside the ack timeout, so work three times longer
/// than the timeout is done once, with no redelivery; an item is redelivered only when its consumer is
/// gone, or stuck past its hard limit.
/// </summary>
public sealed class LeaseSpecs(ITestOutputHelper output) : Akka.Hosting.TestKit.TestKit(output: output)
{
    // Real time, as a lease is: renewals every third of it leave a busy machine (CI's two cores under a full
    // suite) two thirds of a second of stall before a lease would lapse and a redelivery fail the first spec.
    private static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IActorRef Queue => ActorRegistry.Get<CoordinatorKey>();

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider) =>
        builder.WithInMemoryJournal().WithInMemorySnapshotStore().AddCoordinator(
            new QueueOptions { AckTimeout = AckTimeout, ProgressInterval = TimeSpan.Zero, ExpectedProducers = 0 },
            provider.GetRequiredService<ILoggerFactory>());

    private static ConsumerOptions Leased(TimeSpan? handlerTimeout = null) => new()
    {
        Prefetch = 1,
        MaxAttempts = 1,
        RefreshInterval = TimeSpan.FromSeconds(2),
        LeaseInterval = TimeSpan.FromTicks(AckTimeout.Ticks / 3),
        HandlerTimeout = handlerTimeout ?? TimeSpan.FromHours(1),
    };

    private IActorRef StartConsumer(int id, IPayloadHandler handler, ConsumerOptions options) =>
        Sys.ActorOf(ConsumerActor.Props(id, handler, Queue, options, Host.Services.GetRequiredService<ILoggerFactory>().CreateLogger<ConsumerActor>()));

    private async Task PutAsync(params string[] hex)
    {
        var producer = CreateTestProbe();
        Queue.Tell(new Put("p", 1, [.. hex.Select(h => new QueueItem(Convert.FromHexString(h), DateTime.UtcNow))]), producer.Ref);
        await producer.ExpectMsgAsync<PutAccepted>(cancellationToken: Ct);
    }

    private async Task<QueueStatus> WhenDoneAsync()
    {
        await Queue.Ask<Joined>(Join.Instance, TimeSpan.FromSeconds(30), Ct);
        return await Queue.Ask<QueueStatus>(GetStatus.Instance, TimeSpan.FromSeconds(3), Ct);
    }

    [Fact]
    public async Task Should_complete_work_three_times_longer_than_the_ack_timeout_once_with_no_redelivery()
    {
        var handled = new ConcurrentDictionary<string, int>();
        var handler = new DelegateWorkHandler(async (context, cancellationToken) =>
        {
            handled.AddOrUpdate(context.Item.Hex, 1, (_, n) => n + 1);
            await Task.Delay(AckTimeout * 3, cancellationToken);
        });
        StartConsumer(0, handler, Leased());
        StartConsumer(1, handler, Leased());
        await PutAsync("01", "02", "03", "04");

        var status = await WhenDoneAsync();

        Assert.Equal((4L, 0L, 0L), (status.Completed, status.Redelivered, status.DuplicateAcks));
        Assert.All(handled.Values, n => Assert.Equal(1, n));
        Assert.Equal(4, handled.Count);
    }

    [Fact]
    public async Task Should_redeliver_the_item_of_a_consumer_stopped_mid_item()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var doomed = StartConsumer(0, new DelegateWorkHandler(async (_, cancellationToken) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        }), Leased());
        await PutAsync("0a");
        await started.Task.WaitAsync(Ct);

        Sys.Stop(doomed); // its leases stop with it
        var survivor = new ConcurrentBag<string>();
        StartConsumer(1, new DelegateWorkHandler(context => survivor.Add(context.Item.Hex)), Leased());

        var status = await WhenDoneAsync();
        Assert.Equal((1L, 1L), (status.Completed, status.Redelivered));
        Assert.Equal(["0a"], survivor);
    }

    [Fact]
    public async Task Should_stop_renewing_an_attempt_stuck_past_its_hard_limit_so_another_consumer_gets_the_item()
    {
        var stuck = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var neverEnds = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        StartConsumer(0, new DelegateWorkHandler(async (_, _) =>
        {
            stuck.TrySetResult();
            await neverEnds.Task; // ignores its cancellation token: stuck for good
        }), Leased(handlerTimeout: AckTimeout));
        await PutAsync("0b");
        await stuck.Task.WaitAsync(Ct);
        var rescued = new ConcurrentBag<string>();
        StartConsumer(1, new DelegateWorkHandler(context => rescued.Add(context.Item.Hex)), Leased());

        var status = await WhenDoneAsync();

        Assert.Equal((1L, 1L), (status.Completed, status.Redelivered));
        Assert.Equal(["0b"], rescued);
        neverEnds.SetResult();
    }

    [Fact]
    public async Task Should_cancel_an_attempt_past_its_hard_limit_and_dead_letter_it_with_a_clear_error()
    {
        StartConsumer(0, new DelegateWorkHandler(async (_, cancellationToken) => await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken)), Leased(handlerTimeout: TimeSpan.FromMilliseconds(200)));
        await PutAsync("0c");

        var status = await WhenDoneAsync();

        Assert.Equal((0L, 1L), (status.Completed, status.DeadLettered));
        var dead = Assert.Single((await Queue.Ask<DeadLetters>(GetDeadLetters.Instance, TimeSpan.FromSeconds(3), Ct)).Items);
        Assert.Contains("Pipeline:Consumers:HandlerTimeout", dead.Error, StringComparison.Ordinal);
        Assert.StartsWith("TimeoutException", dead.Error, StringComparison.Ordinal);
    }
}
