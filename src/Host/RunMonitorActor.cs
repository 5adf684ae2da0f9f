using Akka.Actor;
using static ActorPipeline.Coordinator.QueueProtocol;

namespace ActorPipeline.Host;

/// <summary>
/// Joins the batch run on this node's behalf: asks the coordinator (through the singleton proxy)
/// whether the run is over and asks again every <c>Cluster:RetryInterval</c>, because an ask or its
/// answer can be lost while the singleton moves or a link drops. Completes the task with the
/// coordinator's final accounting.
/// </summary>
public sealed class RunMonitorActor : ReceiveActor, IWithTimers
{
    private readonly IActorRef _coordinator;
    private readonly TimeSpan _retryInterval;
    private readonly TaskCompletionSource<QueueStatus> _completion;

    public RunMonitorActor(IActorRef coordinator, TimeSpan retryInterval, TaskCompletionSource<QueueStatus> completion)
    {
        _coordinator = coordinator;
        _retryInterval = retryInterval;
        _completion = completion;
        Receive<RunCompleted>(HandleRunCompleted);
        Receive<AskAgain>(_ => _coordinator.Tell(JoinRun.Instance));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef coordinator, TimeSpan retryInterval, TaskCompletionSource<QueueStatus> completion) =>
        Akka.Actor.Props.Create(() => new RunMonitorActor(coordinator, retryInterval, completion));

    protected override void PreStart()
    {
        _coordinator.Tell(JoinRun.Instance);
        Timers.StartPeriodicTimer(nameof(AskAgain), AskAgain.Instance, _retryInterval);
    }

    protected override void PostStop() => _completion.TrySetCanceled();

    private void HandleRunCompleted(RunCompleted completed)
    {
        _completion.TrySetResult(completed.Status);
        Context.Stop(Self);
    }

    private sealed class AskAgain
    {
        public static readonly AskAgain Instance = new();
        private AskAgain() { }
    }
}
