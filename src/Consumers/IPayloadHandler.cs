namespace ActorPipeline.Consumers;

/// <summary>
/// The work a consumer actor does with each item, on its encoded payload (<see cref="WorkContext"/>'s item).
/// Returning marks the item done; throwing makes the consumer retry it with backoff and, after the last
/// attempt, dead-letter it; throwing <see cref="PermanentItemFailureException"/> dead-letters it at once.
/// The hosting library adapts the user's <see cref="IWorkHandler{T}"/> to it: decoded, in a scope per item.
/// </summary>
internal interface IPayloadHandler
{
    ValueTask HandleAsync(WorkContext context, CancellationToken cancellationToken);

    /// <summary>How the consumer's log lines show an item; hex unless the handler knows the item type.</summary>
    ItemFormatter Formatter => ItemFormatter.Hex;
}
