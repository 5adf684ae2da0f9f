using ActorPipeline.Consumers;
using ActorPipeline.Coordinator;
using ActorPipeline.Tests.Fakes;
using Akka.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Tests.Roles;

/// <summary>
/// A consumer acknowledges finished items together, against a probe in the coordinator's place: one
/// task_done for what finished while it had more in hand, a full batch at once, the rest when it has
/// nothing left in hand or the interval is up, and always before a request that reports its progress.
/// </summary>
public sealed class ConsumerAckSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit.TestKit(output: output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Should_acknowledge_what_it_finished_in_one_task_done_once_it_has_nothing_left_in_hand()
    {
        var coordinator = CreateTestProbe();
        Start(coordinator, new ScriptedWorkHandler(), ackBatch: 64, ackInterval: TimeSpan.FromMinutes(1));

        coordinator.Reply(Delivery(1, 2, 3, 4, 5));

        Assert.Equal([1L, 2, 3, 4, 5], (await coordinator.ExpectMsgAsync<TaskDone>(cancellationToken: Ct)).DeliveryIds);
    }

    [Fact]
    public async Task Should_send_a_full_batch_at_once()
    {
        var coordinator = CreateTestProbe();
        Start(coordinator, new ScriptedWorkHandler(), ackBatch: 2, ackInterval: TimeSpan.FromMinutes(1));

        coordinator.Reply(Delivery(1, 2, 3, 4, 5));

        Assert.Equal([1L, 2], (await coordinator.ExpectMsgAsync<TaskDone>(cancellationToken: Ct)).DeliveryIds);
        Assert.Equal([3L, 4], (await coordinator.ExpectMsgAsync<TaskDone>(cancellationToken: Ct)).DeliveryIds);
        Assert.Equal([5L], (await coordinator.ExpectMsgAsync<TaskDone>(cancellationToken: Ct)).DeliveryIds);
    }

    [Fact]
    public async Task Should_acknowledge_a_finished_item_after_the_interval_while_the_next_is_still_in_hand()
    {
        var coordinator = CreateTestProbe();
        Start(coordinator, new ScriptedWorkHandler().HangAlways(Hex(2)), ackBatch: 64, ackInterval: TimeSpan.FromMilliseconds(50));

        coordinator.Reply(Delivery(1, 2));

        // Not at once: the first half of the interval passes with nothing sent (it cannot come early on a slow machine).
        await coordinator.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(25), Ct);
        Assert.Equal([1L], (await coordinator.ExpectMsgAsync<TaskDone>(cancellationToken: Ct)).DeliveryIds);
    }

    [Fact]
    public async Task Should_send_its_acknowledgements_before_a_request_that_reports_what_it_holds()
    {
        var coordinator = CreateTestProbe();
        Start(coordinator, new ScriptedWorkHandler().HangAlways(Hex(2)), ackBatch: 64, ackInterval: TimeSpan.FromMinutes(1), refresh: TimeSpan.FromMilliseconds(100));

        coordinator.Reply(Delivery(1, 2));

        // The refresh is the next message to the coordinator; item 1's task_done must come first, or the
        // coordinator would take delivery 1, no longer held and not acknowledged, as lost.
        var next = await coordinator.ExpectMsgAsync<object>(cancellationToken: Ct);
        Assert.Equal([1L], Assert.IsType<TaskDone>(next).DeliveryIds);
        var request = await coordinator.ExpectMsgAsync<RequestWork>(cancellationToken: Ct);
        Assert.Equal([2L], request.Held);
    }

    [Fact]
    public async Task Should_work_a_delivery_handed_to_it_again_while_it_holds_it_only_once()
    {
        var coordinator = CreateTestProbe();
        var firstMayFinish = new TaskCompletionSource();
        var attempts = new System.Collections.Concurrent.ConcurrentDictionary<long, int>();
        Start(coordinator, new DelegateWorkHandler(async (context, token) =>
        {
            attempts.AddOrUpdate(context.DeliveryId, 1, (_, n) => n + 1);
            if (context.DeliveryId == 1)
            {
                await firstMayFinish.Task.WaitAsync(token);
            }
        }), ackBatch: 64, ackInterval: TimeSpan.FromMinutes(1));

        coordinator.Reply(Delivery(1, 2)); // 1 in hand, 2 waiting in the window
        coordinator.Reply(Delivery(2, 3)); // the coordinator repeats delivery 2 (a request it took as lost), with a new one
        firstMayFinish.SetResult();

        var acknowledged = new List<long>();
        while (acknowledged.Count < 3)
        {
            acknowledged.AddRange((await coordinator.ExpectMsgAsync<TaskDone>(cancellationToken: Ct)).DeliveryIds);
        }

        Assert.Equal([1L, 2, 3], acknowledged.Order());
        Assert.Equal(1, attempts[2]); // worked once, acknowledged once
        var later = new List<TaskDone>();
        await foreach (var done in coordinator.ReceiveWhileAsync(TimeSpan.FromMilliseconds(300), m => m as TaskDone, cancellationToken: Ct))
        {
            later.Add(done!);
        }

        Assert.Empty(later); // and no second task_done for it
    }

    private static string Hex(long id) => $"{id:x2}";

    private static Delivery Delivery(params long[] ids) =>
        new([.. ids.Select(id => new DeliveredItem(id, new QueueItem(new[] { (byte)id }, DateTime.UtcNow)))]);

    private void Start(TestProbe coordinator, IPayloadHandler handler, int ackBatch, TimeSpan ackInterval, TimeSpan? refresh = null)
    {
        var options = new ConsumerOptions
        {
            Prefetch = 10, AckBatch = ackBatch, AckInterval = ackInterval, RefreshInterval = refresh ?? TimeSpan.FromMinutes(1),
            PrefetchWork = TimeSpan.Zero, // a window of 10 throughout: these specs are about acknowledgements
        };
        Sys.ActorOf(ConsumerActor.Props(0, handler, coordinator.Ref, options, NullLogger<ConsumerActor>.Instance));
        coordinator.ExpectMsg<RequestWork>(cancellationToken: Ct); // its first request, from PreStart; the probe's replies go to it
    }
}
