using ActorPipeline.Coordinator;
using Akka.Actor;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Tests.CoordinatorShell;

/// <summary>asyncio's <c>Queue(maxsize=1)</c>: every put waits for a get, and nothing deadlocks.</summary>
public sealed class SingleSlotCoordinatorSpecs(ITestOutputHelper output) : CoordinatorSpecBase(capacity: 1, output)
{
    [Fact]
    public async Task Should_pass_many_items_through_one_slot_in_order_without_deadlock()
    {
        const int Items = 200;
        var producer = CreateTestProbe();
        var consumer = CreateTestProbe();

        // The producer runs ahead with its puts; only one can be in the queue at a time.
        for (var i = 0; i < Items; i++)
        {
            Queue.Tell(new Put("p", i, [Item(i.ToString("x4", System.Globalization.CultureInfo.InvariantCulture))]), producer.Ref);
        }

        for (var i = 0; i < Items; i++)
        {
            var delivered = await GetAsync(consumer);
            Assert.Equal(i, Convert.ToInt32(delivered.Item.Hex, 16));
            Queue.Tell(new TaskDone(delivered.DeliveryId), consumer.Ref);
            Assert.True((await StatusAsync()).Size <= 1);
        }

        var accepted = new List<long>();
        for (var i = 0; i < Items; i++)
        {
            accepted.Add((await producer.ExpectMsgAsync<PutAccepted>(cancellationToken: Ct)).SequenceNr);
        }

        Assert.Equal(Enumerable.Range(0, Items).Select(i => (long)i), accepted);
        Assert.Equal(0, (await StatusAsync()).Unfinished);
    }
}
