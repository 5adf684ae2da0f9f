namespace ActorPipeline.Tests.Model;

/// <summary>What a step of a generated sequence does; decoded from one generated number so that CsCheck shrinks plain integers.</summary>
internal enum OperationKind
{
    Put,
    PutNowait,
    ResendPut,
    ResendAcceptedPut,
    Register,
    ProducerDone,
    StaleProducerDone,
    ProducerDoneOvertakingItsPut,
    ProducerStopped,
    Get,
    GetNowait,
    CancelGet,
    RequestWork,
    TaskDone,
    DuplicateTaskDone,
    Release,
    TaskFailed,
    LoseTaskDone,
    LoseNextDelivery,
    ConsumerStopped,
    AdvanceTime,
    Join,
    JoinRun,
    Shutdown,
    ShutdownImmediately,
    RequeueDeadLetters,
    RequeueOneDeadLetter,
    DiscardDeadLetters,
    DiscardOneDeadLetter,
    EndRun,
    TakeSnapshot,
    CrashAndRecoverFromJournal,
    CrashAndRecoverFromSnapshot,
    OpenJob,
    CloseJob,
    CancelJob,
    JoinJob,
    GetJob,
    JobJoinerStops,
}

/// <summary>One step: a kind and a small argument (which producer or consumer, how many, how long).</summary>
internal readonly record struct QueueOperation(OperationKind Kind, int Argument)
{
    // Weights: the queue's everyday traffic often, failures and admin now and then.
    private static readonly (OperationKind Kind, int Weight)[] Weights =
    [
        (OperationKind.Put, 14), (OperationKind.PutNowait, 3), (OperationKind.ResendPut, 4), (OperationKind.ResendAcceptedPut, 1),
        (OperationKind.Register, 3), (OperationKind.ProducerDone, 2), (OperationKind.StaleProducerDone, 1), (OperationKind.ProducerDoneOvertakingItsPut, 1), (OperationKind.ProducerStopped, 1),
        (OperationKind.Get, 5), (OperationKind.GetNowait, 2), (OperationKind.CancelGet, 1), (OperationKind.RequestWork, 8),
        (OperationKind.TaskDone, 14), (OperationKind.DuplicateTaskDone, 1), (OperationKind.Release, 2), (OperationKind.TaskFailed, 2),
        (OperationKind.LoseTaskDone, 2), (OperationKind.LoseNextDelivery, 2), (OperationKind.ConsumerStopped, 1), (OperationKind.AdvanceTime, 4),
        (OperationKind.Join, 2), (OperationKind.JoinRun, 2), (OperationKind.Shutdown, 1), (OperationKind.ShutdownImmediately, 1),
        (OperationKind.RequeueDeadLetters, 1), (OperationKind.RequeueOneDeadLetter, 1), (OperationKind.DiscardDeadLetters, 1),
        (OperationKind.DiscardOneDeadLetter, 1), (OperationKind.EndRun, 1), (OperationKind.TakeSnapshot, 2), (OperationKind.CrashAndRecoverFromJournal, 1),
        (OperationKind.CrashAndRecoverFromSnapshot, 1),
    ];

    // With jobs: the same, and jobs opened (again), closed, cancelled, joined and looked at.
    private static readonly (OperationKind Kind, int Weight)[] JobWeights =
    [
        .. Weights,
        (OperationKind.OpenJob, 4), (OperationKind.CloseJob, 3), (OperationKind.CancelJob, 1), (OperationKind.JoinJob, 4),
        (OperationKind.GetJob, 1), (OperationKind.JobJoinerStops, 1),
    ];

    private static readonly int TotalWeight = Weights.Sum(w => w.Weight);

    private static readonly int TotalJobWeight = JobWeights.Sum(w => w.Weight);

    public static QueueOperation Decode(int value) => Decode(value, withJobs: false);

    public static QueueOperation Decode(int value, bool withJobs)
    {
        var (weights, total) = withJobs ? (JobWeights, TotalJobWeight) : (Weights, TotalWeight);
        var pick = value % total;
        foreach (var (kind, weight) in weights)
        {
            if (pick < weight)
            {
                return new QueueOperation(kind, value / total);
            }

            pick -= weight;
        }

        throw new InvalidOperationException("unreachable");
    }

    public override string ToString() => $"{Kind}({Argument})";
}
