using ActorPipeline.Coordinator;
using Akka.Actor;

namespace ActorPipeline.Hosting.Operations;

/// <summary>
/// Hands a <see cref="CoordinatorRecoveryFailed"/> from the event stream to <see cref="CoordinatorFailure"/>.
/// Started by <see cref="CoordinatorFailure.Listen"/> before the coordinator, so that it is listening before any recovery can fail.
/// </summary>
internal sealed class CoordinatorFailureListener : ReceiveActor
{
    public CoordinatorFailureListener(CoordinatorFailure failure)
    {
        Receive<CoordinatorRecoveryFailed>(failure.Report);
        Receive<CoordinatorJournalUnavailable>(failure.Report);
        Receive<CoordinatorJournalAvailable>(failure.Report);
    }

    public static Props Props(CoordinatorFailure failure) => Akka.Actor.Props.Create(() => new CoordinatorFailureListener(failure));

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);
}
