using Akka.Actor;
using Microsoft.Extensions.Logging;

namespace ActorPipeline.Coordinator.Actor;

/// <summary>
/// The coordinator's parent under the cluster singleton, so that a journal outage is survived: a
/// persistent actor whose write fails is stopped by Akka.Persistence, and a singleton whose actor
/// stopped itself is not brought back. This supervisor starts it again after a growing back-off, and
/// it recovers from what was stored; producers resend what was not acknowledged and consumers'
/// requests repair their deliveries meanwhile. While the journal fails it warns every interval; past
/// <see cref="QueueOptions.JournalOutageLimit"/> it gives up and the host exits 1 saying so. The outage, and
/// giving up, are reported to <see cref="CoordinatorFailure"/>, which readiness, the page and the runner read.
/// Messages are forwarded with their sender, so replies go straight from the coordinator to clients;
/// while it is down they are dropped, which the clients' resends already cover.
/// </summary>
internal sealed class CoordinatorSupervisor : ReceiveActor, IWithTimers
{
    private const string ChildName = "queue";
    private readonly Props _coordinator;
    private readonly QueueOptions _options;
    private readonly ILogger _log;
    private readonly CoordinatorFailure _failure;
    private readonly JournalOutage _outage;
    private readonly TimeSpan _warnEvery;
    private IActorRef _child = ActorRefs.Nobody;
    private string? _failing; // the reason the running coordinator gave before it stopped, if it did

    /// <param name="coordinator">The coordinator's props (<see cref="CoordinatorActor.Props"/>).</param>
    /// <param name="options">The queue's settings: back-off, outage limit and warning interval.</param>
    /// <param name="log">Where the outage is logged.</param>
    /// <param name="failure">Where the outage, and giving up, are reported to the host.</param>
    /// <param name="time">The clock the outage is measured on; the system clock unless a spec fakes it.</param>
    public CoordinatorSupervisor(Props coordinator, QueueOptions options, ILogger<CoordinatorSupervisor> log, CoordinatorFailure failure, TimeProvider? time = null)
    {
        _coordinator = coordinator;
        _options = options;
        _log = log;
        _failure = failure;
        _outage = new JournalOutage(options, time ?? TimeProvider.System);
        _warnEvery = options.ProgressInterval > TimeSpan.Zero ? options.ProgressInterval : TimeSpan.FromSeconds(10);
        Running();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(Props coordinator, QueueOptions options, ILogger<CoordinatorSupervisor> log, CoordinatorFailure failure, TimeProvider? time = null) =>
        ActorFactory.Props(() => new CoordinatorSupervisor(coordinator, options, log, failure, time));

    // The coordinator stops itself on journal failures; any exception it throws is a bug, and a restart
    // (recovery from the journal) is the safe answer, as before it had a supervisor.
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Restart);

    protected override void PreStart() => StartCoordinator();

    private void StartCoordinator()
    {
        _failing = null;
        _child = Context.ActorOf(_coordinator, ChildName);
        Context.Watch(_child);
    }

    /// <summary>The coordinator runs: everything but its own signals goes to it.</summary>
    private void Running()
    {
        Receive<JournalFailing>(failing => _failing = failing.Reason);
        Receive<JournalWorking>(_ => OnJournalWorking());
        Receive<Terminated>(terminated => terminated.ActorRef.Equals(_child), OnCoordinatorStopped);
        Receive<WarnOutage>(_ => WarnIfStillDown());
        ReceiveAny(message => _child.Forward(message));
    }

    /// <summary>The coordinator is down, waiting out its back-off: messages are dropped (clients resend).</summary>
    private void WaitingToRestart()
    {
        Receive<RestartCoordinator>(_ =>
        {
            StartCoordinator();
            Become(Running);
        });
        Receive<WarnOutage>(_ => WarnIfStillDown());
        Receive<JournalFailing>(_ => { });
        Receive<Terminated>(_ => { });
        ReceiveAny(message => Context.System.DeadLetters.Forward(message));
    }

    private void OnJournalWorking()
    {
        if (!_outage.IsOngoing)
        {
            return;
        }

        var lasted = _outage.Healthy();
        Timers.Cancel(nameof(WarnOutage));
        _log.JournalBack(lasted.TotalSeconds);
        _failure.JournalBack();
    }

    private void OnCoordinatorStopped(Terminated _)
    {
        if (_failing is not { } reason)
        {
            // Stopped for a reason of its own (data it cannot read, said at Fatal; or the node is leaving): nothing to restart.
            Context.Stop(Self);
            return;
        }

        var backoff = _outage.Failed(reason);
        if (_outage.LimitPassed)
        {
            var message = $"The journal has failed for {_outage.Duration.TotalSeconds:0} s, longer than Pipeline:Queue:JournalOutageLimit ({_options.JournalOutageLimit}); last error: {reason}. " +
                          "Nothing acknowledged is lost: start the node again once the journal answers.";
            _log.JournalGaveUp(message);
            _failure.Fail(message);
            Context.Stop(Self);
            return;
        }

        _log.JournalFailedRestarting(reason, Math.Round(backoff.TotalSeconds, 2), _outage.Failures);
        _failure.JournalFailing(new CoordinatorJournalUnavailable(_outage.Since!.Value, reason, _outage.Failures, backoff));
        if (_outage.Failures == 1)
        {
            Timers.StartPeriodicTimer(nameof(WarnOutage), WarnOutage.Instance, _warnEvery);
        }

        Timers.StartSingleTimer(nameof(RestartCoordinator), RestartCoordinator.Instance, backoff);
        Become(WaitingToRestart);
    }

    private void WarnIfStillDown()
    {
        if (_outage.IsOngoing)
        {
            _log.JournalStillDown(Math.Round(_outage.Duration.TotalSeconds), _outage.LastReason, _outage.Failures, _options.JournalOutageLimit);
        }
    }

    private sealed class RestartCoordinator
    {
        public static readonly RestartCoordinator Instance = new();
        private RestartCoordinator() { }
    }

    private sealed class WarnOutage
    {
        public static readonly WarnOutage Instance = new();
        private WarnOutage() { }
    }
}
