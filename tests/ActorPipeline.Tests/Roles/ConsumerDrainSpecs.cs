using ActorPipeline.Consumers;
using ActorPipeline.Coordinator;
using ActorPipeline.Tests.Fakes;
using Akka.Actor;
using Akka.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using static ActorPipeline.Consumers.ConsumerProtocol;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Tests.Roles;

/// <summary>
/// A consumer's drain, against a probe in the coordinator's place: it asks for nothing more, hands back
/// what it had not started and what still arrives, finishes the item in hand, and only then tells the one
/// who asked what it finished and handed back; a second drain changes nothing.
/// </summary>
public sealed class ConsumerDrainSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit.TestKit(output: output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Should_hand_back_what_it_has_not_started_and_what_still_arrives_and_say_it_is_drained_once_the_item_in_hand_is_done()
    {
        var coordinator = CreateTestProbe();
        var firstMayFinish = new TaskCompletionSource();
        var consumer = Start(coordinator, new DelegateWorkHandler(async (context, token) =>
        {
            if (context.DeliveryId == 1)
            {
                await firstMayFinish.Task.WaitAsync(token);
            }
        }));
        consumer.Tell(Delivery(1, 2, 3), coordinator.Ref); // 1 in hand, 2 and 3 waiting

        var drainer = CreateTestProbe();
        consumer.Tell(Drain.Instance, drainer.Ref);

        // Nothing more asked for, first, so that what it hands back does not come straight back.
        Assert.Equal(0, (await coordinator.ExpectMsgAsync<RequestWork>(cancellationToken: Ct)).Window);
        Assert.Equal([2L, 3], (await coordinator.ExpectMsgAsync<Release>(cancellationToken: Ct)).DeliveryIds);

        // Sent before the coordinator saw the drain: handed back too, and it is still not drained.
        consumer.Tell(Delivery(4), coordinator.Ref);
        Assert.Equal([4L], (await coordinator.ExpectMsgAsync<Release>(cancellationToken: Ct)).DeliveryIds);
        consumer.Tell(new Identify("not drained yet"), drainer.Ref);
        await drainer.ExpectMsgAsync<ActorIdentity>(cancellationToken: Ct);

        firstMayFinish.SetResult();
        Assert.Equal([1L], (await coordinator.ExpectMsgAsync<TaskDone>(cancellationToken: Ct)).DeliveryIds);
        Assert.Equal(new ConsumerDrained(0, Finished: 1, HandedBack: 3), await drainer.ExpectMsgAsync<ConsumerDrained>(cancellationToken: Ct));

        // Asked again by someone else: draining already, for the first asker.
        var second = CreateTestProbe();
        consumer.Tell(Drain.Instance, second.Ref);
        consumer.Tell(new Identify("drained"), second.Ref);
        await second.ExpectMsgAsync<ActorIdentity>(cancellationToken: Ct);
    }

    private static Delivery Delivery(params long[] ids) =>
        new([.. ids.Select(id => new DeliveredItem(id, new QueueItem(new[] { (byte)id }, DateTime.UtcNow)))]);

    private IActorRef Start(TestProbe coordinator, IPayloadHandler handler)
    {
        var options = new ConsumerOptions
        {
            Prefetch = 10, AckInterval = TimeSpan.FromMinutes(1), RefreshInterval = TimeSpan.FromMinutes(1), LeaseInterval = TimeSpan.Zero,
            PrefetchWork = TimeSpan.Zero, // a window of 10 throughout: only the drain asks for less
        };
        var consumer = Sys.ActorOf(ConsumerActor.Props(0, handler, coordinator.Ref, options, NullLogger<ConsumerActor>.Instance));
        coordinator.ExpectMsg<RequestWork>(cancellationToken: Ct); // its first request, from PreStart
        return consumer;
    }
}
