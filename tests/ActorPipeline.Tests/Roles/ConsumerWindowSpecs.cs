using ActorPipeline.Consumers;
using ActorPipeline.Coordinator;
using ActorPipeline.Tests.Fakes;
using Akka.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Tests.Roles;

/// <summary>
/// A consumer's window follows its work, against a probe in the coordinator's place: it asks for one
/// item until it has timed one, for its whole window once items prove quick, and stays at one when
/// each item takes longer than the work it may hold.
/// </summary>
public sealed class ConsumerWindowSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit.TestKit(output: output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Should_ask_for_one_item_first_and_for_its_whole_window_once_the_work_proves_quick()
    {
        var coordinator = CreateTestProbe();
        var first = Start(coordinator, new ScriptedWorkHandler(), prefetchWork: TimeSpan.FromSeconds(10));
        Assert.Equal(1, first.Window);

        coordinator.Reply(Delivery(1));

        Assert.Equal([1L], (await coordinator.ExpectMsgAsync<TaskDone>(cancellationToken: Ct)).DeliveryIds); // acknowledged before the request
        var deeper = await coordinator.ExpectMsgAsync<RequestWork>(cancellationToken: Ct);
        Assert.Equal(10, deeper.Window);
        Assert.Empty(deeper.Held);
    }

    [Fact]
    public async Task Should_keep_a_window_of_one_while_each_item_takes_longer_than_the_work_it_may_hold()
    {
        var coordinator = CreateTestProbe();
        // A short refresh, so the consumer says what window it keeps rather than the spec waiting for silence.
        Start(coordinator, new ScriptedWorkHandler(), prefetchWork: TimeSpan.FromTicks(1), refresh: TimeSpan.FromMilliseconds(50));

        var windows = new List<int>();
        foreach (var id in new long[] { 1, 2, 3 })
        {
            coordinator.Reply(Delivery(id));
            var message = await coordinator.ReceiveOneAsync(cancellationToken: Ct);
            while (message is RequestWork refreshed)
            {
                windows.Add(refreshed.Window); // a refresh may come before the task_done
                message = await coordinator.ReceiveOneAsync(cancellationToken: Ct);
            }

            Assert.Equal([id], Assert.IsType<TaskDone>(message).DeliveryIds);
        }

        windows.Add((await coordinator.ExpectMsgAsync<RequestWork>(cancellationToken: Ct)).Window);
        Assert.All(windows, window => Assert.Equal(1, window));
    }

    [Fact]
    public async Task Should_hold_its_whole_window_from_the_start_when_the_work_budget_is_zero()
    {
        var coordinator = CreateTestProbe();

        Assert.Equal(10, Start(coordinator, new ScriptedWorkHandler(), prefetchWork: TimeSpan.Zero).Window);
    }

    private static Delivery Delivery(params long[] ids) =>
        new([.. ids.Select(id => new DeliveredItem(id, new QueueItem(new[] { (byte)id }, DateTime.UtcNow)))]);

    private RequestWork Start(TestProbe coordinator, ScriptedWorkHandler handler, TimeSpan prefetchWork, TimeSpan? refresh = null)
    {
        var options = new ConsumerOptions
        {
            Prefetch = 10, PrefetchWork = prefetchWork, AckBatch = 64, AckInterval = TimeSpan.FromMinutes(1), RefreshInterval = refresh ?? TimeSpan.FromMinutes(1),
        };
        Sys.ActorOf(ConsumerActor.Props(0, handler, coordinator.Ref, options, NullLogger<ConsumerActor>.Instance));
        return coordinator.ExpectMsg<RequestWork>(cancellationToken: Ct); // its first request, from PreStart; the probe's replies go to it
    }
}
