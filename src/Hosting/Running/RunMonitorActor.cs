using ActorPipeline.Coordinator.Actor;
using Akka.Actor;
using Microsoft.Extensions.Logging;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Hosting.Running;

/// <summary>
/// Joins the batch run on this node's behalf: asks the coordinator (through the singleton proxy)
/// whether the run is over and asks again every <c>Cluster:RetryInterval</c>, because an ask or its
/// answer can be lost while the singleton moves or a link drops. Completes the task with the
/// coordinator's final accounting. It also asks for the status, to tell whether the coordinator
/// answers at all, and warns when it has not for <see cref="CoordinatorSilence.WorthAWarning"/>: that is the warning
/// Akka's singleton proxy was meant to give, which it gives at start-up instead (its timer fires at
/// once), so the proxy's own is turned off (see the Host's cluster settings).
/// </summary>
internal sealed class RunMonitorActor : ReceiveActor, IWithTimers
{
    private readonly IActorRef _coordinator;
    private readonly TimeSpan _retryInterval;

    private readonly TaskCompletionSource<QueueStatus> _completion;
    private readonly CoordinatorFailure _localCoordinator;
    private readonly ILogger _log;
    private long _heardAt = Environment.TickCount64;
    private long _warnedAt = Environment.TickCount64;

    public RunMonitorActor(IActorRef coordinator, TimeSpan retryInterval, TaskCompletionSource<QueueStatus> completion, CoordinatorFailure localCoordinator, ILogger log)
    {
        _coordinator = coordinator;
        _retryInterval = retryInterval;
        _completion = completion;
        _localCoordinator = localCoordinator;
        _log = log;
        Receive<RunCompleted>(HandleRunCompleted);
        Receive<QueueStatus>(_ => _heardAt = Environment.TickCount64);
        Receive<AskAgain>(_ => HandleAskAgain());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef coordinator, TimeSpan retryInterval, TaskCompletionSource<QueueStatus> completion, CoordinatorFailure localCoordinator, ILogger log) =>
        ActorFactory.Props(() => new RunMonitorActor(coordinator, retryInterval, completion, localCoordinator, log));

    protected override void PreStart()
    {
        _coordinator.Tell(JoinRun.Instance);
        _coordinator.Tell(GetStatus.Instance);
        Timers.StartPeriodicTimer(nameof(AskAgain), AskAgain.Instance, _retryInterval);
    }

    protected override void PostStop() => _completion.TrySetCanceled();

    private void HandleAskAgain()
    {
        _coordinator.Tell(JoinRun.Instance);
        _coordinator.Tell(GetStatus.Instance);
        var now = Environment.TickCount64;
        var silent = TimeSpan.FromMilliseconds(now - _heardAt);
        // A coordinator on this node whose journal fails is silent for that reason, which its supervisor reports:
        // asking whether a coordinator node is up would send the reader the wrong way.
        if (silent >= CoordinatorSilence.WorthAWarning && TimeSpan.FromMilliseconds(now - _warnedAt) >= CoordinatorSilence.WorthAWarning
            && _localCoordinator.JournalOutage is null)
        {
            HostLog.CoordinatorSilent(_log, Math.Round(silent.TotalSeconds));
            _warnedAt = now;
        }
    }

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
