namespace ActorPipeline.Consumers;

/// <summary>
/// The work a consumer does with each item. Returning marks the item done; throwing makes the
/// consumer retry it with backoff and, after the last attempt, dead-letter it; throwing
/// <see cref="PermanentItemFailureException"/> dead-letters it at once, without a retry. Honour the token:
/// it is cancelled when the consumer is cancelled, and the item then goes back to the queue.
/// The seed's random sleep is the default (<see cref="SimulatedWorkHandler"/>).
/// </summary>
public interface IWorkHandler
{
    ValueTask HandleAsync(WorkContext context, CancellationToken cancellationToken);
}
