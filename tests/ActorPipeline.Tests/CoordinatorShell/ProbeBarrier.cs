using Akka.Actor;
using Akka.TestKit;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Tests.CoordinatorShell;

/// <summary>
/// "Nothing more came" without waiting on the clock: the probe asks the coordinator for its status, and
/// since one actor's messages to another keep their order, anything the coordinator had sent the probe
/// arrives before that status. (A reply that waits for the journal could still come later; the rules
/// behind those are checked without an actor system, in the CoordinatorRules and Model specs.)
/// </summary>
internal static class ProbeBarrier
{
    public static async Task ExpectNothingMoreFromAsync(this TestProbe probe, IActorRef coordinator)
    {
        coordinator.Tell(GetStatus.Instance, probe.Ref);
        await probe.ExpectMsgAsync<QueueStatus>(cancellationToken: TestContext.Current.CancellationToken);
    }
}
