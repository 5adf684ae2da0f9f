using Akka.Actor;
using static ActorPipeline.Coordinator.Protocol.JobProtocol;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Tests.Fakes;

/// <summary>
/// A coordinator that answers the page's questions from a script: the overview it is given, and the jobs it is
/// given (each <see cref="GetJob"/> from the same jobs, dead letters included). With <c>knowsJobs</c> false it
/// answers no job message at all, as a coordinator from before jobs does.
/// </summary>
internal sealed class ScriptedJobCoordinator : ReceiveActor
{
    private QueueOverview _overview;
    private IReadOnlyList<JobStatus> _jobs = [];

    public ScriptedJobCoordinator(QueueOverview overview, bool knowsJobs)
    {
        _overview = overview;
        Receive<Script>(script => (_overview, _jobs) = (script.Overview ?? _overview, script.Jobs));
        Receive<GetOverview>(_ => Sender.Tell(_overview));
        if (knowsJobs)
        {
            Receive<GetJobs>(_ => Sender.Tell(new JobList([.. _jobs.Select(j => j with { DeadLetters = [] })])));
            Receive<GetJob>(get => Sender.Tell(_jobs.FirstOrDefault(j => j.JobId == get.JobId) is { } job ? job : new JobUnknown(get.JobId)));
        }
    }

    public static Props Props(QueueOverview overview, bool knowsJobs = true) => Akka.Actor.Props.Create(() => new ScriptedJobCoordinator(overview, knowsJobs));

    /// <summary>What to answer from now on (the overview unchanged when null).</summary>
    public sealed record Script(IReadOnlyList<JobStatus> Jobs, QueueOverview? Overview = null);
}
