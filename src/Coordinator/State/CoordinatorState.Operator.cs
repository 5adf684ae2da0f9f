using Microsoft.Extensions.Logging;
using static ActorPipeline.Coordinator.Persistence.QueueEvents;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Coordinator.State;

/// <summary>
/// What an operator may decide about a run beyond asyncio's queue: discard dead letters for good, and end
/// the run for adding. Both are journaled, so a restart, a standby coordinator and the offline commands
/// see the same run.
/// </summary>
internal sealed partial class CoordinatorState<TClient>
{
    private const int LoggedIdsAtMost = 20;

    /// <summary>Whether an operator ended this run for adding.</summary>
    public bool IsEndedByOperator => _totals.EndedByOperator;

    public void DiscardDeadLetters(TClient from, DiscardDeadLetters discard)
    {
        List<long> ids = discard.ItemIds.Count == 0
            ? [.. _deadLetters.Keys.Order()]
            : [.. discard.ItemIds.Where(_deadLetters.ContainsKey).Distinct()];
        if (ids.Count > 0)
        {
            Record(new DeadLettersDiscarded(ids));
            _metrics?.Discarded.Add(ids.Count);
            _log.DeadLettersDiscarded(ids.Count, DescribeIds(ids));
        }

        TellWhenStored(from, new DeadLettersDiscardedAck(ids.Count));
    }

    public void EndRun(TClient from, EndRun end)
    {
        if (_totals.RunFinished || _totals.EndedByOperator)
        {
            Tell(from, new RunEndAck(0, Unfinished, AlreadyOver: true));
            return;
        }

        var ended = _producers.Values.Count(EndsByOperator);
        Record(new RunEndedByOperator(end.RequestedBy));
        RejectParkedPuts(_runJob, PutRejection.RunEnded); // other jobs' puts are not the run's
        _log.RunEnded(_totals.RunNumber, end.RequestedBy, ended, Unfinished);
        TellWhenStored(from, new RunEndAck(ended, Unfinished, AlreadyOver: false));
    }

    /// <summary>For the offline command: journals the end of a run that an operator ended and that has nothing left to settle.</summary>
    public bool FinishRunIfComplete()
    {
        if (!IsRunComplete)
        {
            return false;
        }

        FinishRun();
        return true;
    }

    private static bool EndsByOperator(ProducerState<TClient> producer) => producer.Phase is ProducerPhase.Active or ProducerPhase.Lost or ProducerPhase.Stopped;

    private void ApplyDiscarded(DeadLettersDiscarded e)
    {
        var discarded = 0;
        foreach (var id in e.ItemIds)
        {
            if (_deadLetters.Remove(id, out var dead))
            {
                var job = JobNamed(dead.Job);
                job.DeadLettered--;
                job.Discarded++;
                discarded++;
            }
        }

        _totals = _totals with { Discarded = _totals.Discarded + discarded };
    }

    private void ApplyRunEnded()
    {
        _totals = _totals with { EndedByOperator = true };
        foreach (var producer in _producers.Values.Where(EndsByOperator).ToList())
        {
            MoveTo(producer, ProducerPhase.Done);
        }
    }

    private static string DescribeIds(List<long> ids) =>
        ids.Count <= LoggedIdsAtMost
            ? string.Join(", ", ids)
            : $"{string.Join(", ", ids.Take(LoggedIdsAtMost))} and {ids.Count - LoggedIdsAtMost} more";
}
