using Akka.Actor;
using Akka.TestKit;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Tests.CoordinatorShell;

/// <summary>
/// "Nothing more came" without waiting on the clock. A reply the coordinator sends at once arrives before the
/// answer to a later question, since one actor's messages to another keep their order; but a reply that waits
/// for the journal (a put's acceptance, a join's answer) goes out only once its write is stored, after any
/// immediate answer. So the barrier asks a question answered once stored that changes nothing: requeue a dead
/// letter that does not exist. Replies held for the journal go out in the order they were decided, so every one
/// decided before the question arrives before its answer.
/// </summary>
internal static class ProbeBarrier
{
    private const long NoSuchItem = long.MinValue;

    public static async Task ExpectNothingMoreFromAsync(this TestProbe probe, IActorRef coordinator)
    {
        coordinator.Tell(new RequeueDeadLetters([NoSuchItem]), probe.Ref);
        var barrier = await probe.ExpectMsgAsync<DeadLettersRequeuedAck>(cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(0, barrier.Count); // it requeued nothing: the barrier is a question, not a change
    }
}
