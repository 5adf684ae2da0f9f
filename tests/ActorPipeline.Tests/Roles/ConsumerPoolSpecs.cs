using ActorPipeline.Consumers;
using ActorPipeline.Tests.Fakes;
using Akka.Actor;
using Akka.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using static ActorPipeline.Consumers.ConsumerProtocol;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Tests.Roles;

/// <summary>
/// A node's consumer pool, against a probe in the coordinator's place: while running it replaces a consumer
/// that dies (the coordinator re-queues what that one held), once draining it replaces none, and a cancel is
/// answered once every consumer has stopped.
/// </summary>
public sealed class ConsumerPoolSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit.TestKit(output: output)
{
    private const int Consumers = 2;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Should_replace_a_consumer_that_dies_while_running_under_a_new_name()
    {
        var coordinator = CreateTestProbe();
        var pool = StartPool(coordinator);
        var consumers = await FirstRequestsAsync(coordinator);

        consumers["consumer-0"].Tell(PoisonPill.Instance); // dies without finishing

        await coordinator.ExpectMsgAsync<RequestWork>(cancellationToken: Ct);
        Assert.Equal("consumer-0-r1", coordinator.LastSender.Path.Name);
        Assert.Equal(pool.Path, coordinator.LastSender.Path.Parent); // the pool's own child, watched like the rest
    }

    [Fact]
    public async Task Should_replace_none_once_draining_and_answer_a_cancel_once_all_have_stopped()
    {
        var coordinator = CreateTestProbe();
        var pool = StartPool(coordinator);
        var consumers = await FirstRequestsAsync(coordinator);

        pool.Tell(DrainConsumers.Instance, coordinator.Ref);
        var drained = await ReceiveUntilAsync<ConsumersDrained>(coordinator);
        Assert.Equal((0, 0), (drained.Answer.Finished, drained.Answer.HandedBack)); // idle consumers: nothing in hand

        Watch(consumers["consumer-0"]);
        consumers["consumer-0"].Tell(PoisonPill.Instance);
        await ExpectTerminatedAsync(consumers["consumer-0"], cancellationToken: Ct);
        pool.Tell(DrainConsumers.Instance, coordinator.Ref); // behind the pool's own word of the death: still draining
        var again = await ReceiveUntilAsync<ConsumersDrained>(coordinator);
        pool.Tell(CancelConsumers.Instance, coordinator.Ref);

        // A replacement would have asked for work before the pool could answer the cancel (it stops on the cancel).
        var cancelled = await ReceiveUntilAsync<ConsumersCancelled>(coordinator);
        Assert.Equal(Consumers, cancelled.Answer.Consumers);
        Assert.DoesNotContain(again.Senders.Concat(cancelled.Senders), name => name.Contains("-r", StringComparison.Ordinal));
    }

    private IActorRef StartPool(TestProbe coordinator)
    {
        var options = new ConsumerOptions { Count = Consumers, RefreshInterval = TimeSpan.FromMinutes(1), AckInterval = TimeSpan.FromMinutes(1) };
        var pool = Sys.ActorOf(ConsumerPoolActor.Props(options, new ScriptedWorkHandler(), coordinator.Ref, NullLoggerFactory.Instance), "consumers");
        pool.Tell(StartConsuming.Instance);
        return pool;
    }

    /// <summary>Each consumer's first request, from its start: who they are, by name.</summary>
    private static async Task<Dictionary<string, IActorRef>> FirstRequestsAsync(TestProbe coordinator)
    {
        var consumers = new Dictionary<string, IActorRef>();
        while (consumers.Count < Consumers)
        {
            await coordinator.ExpectMsgAsync<RequestWork>(cancellationToken: Ct);
            consumers[coordinator.LastSender.Path.Name] = coordinator.LastSender;
        }

        Assert.Equal(["consumer-0", "consumer-1"], consumers.Keys.Order());
        return consumers;
    }

    /// <summary>Everything the probe gets until the answer, and who sent it: consumers' messages come in between.</summary>
    private static async Task<(T Answer, List<string> Senders)> ReceiveUntilAsync<T>(TestProbe coordinator)
    {
        var senders = new List<string>();
        while (true)
        {
            var message = await coordinator.ReceiveOneAsync(cancellationToken: Ct)
                ?? throw new TimeoutException($"no {typeof(T).Name} came; before it: {string.Join(", ", senders)}");
            if (message is T answer)
            {
                return (answer, senders);
            }

            senders.Add(coordinator.LastSender.Path.Name);
        }
    }
}
