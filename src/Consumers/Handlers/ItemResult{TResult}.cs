namespace ActorPipeline;

/// <summary>One item's result, as a result sink receives it.</summary>
/// <typeparam name="TResult">The work handler's result type.</typeparam>
/// <param name="ItemId">The item's stable id (<see cref="WorkContext.ItemId"/>): the key that makes a sink idempotent.</param>
/// <param name="Value">What the handler returned.</param>
/// <param name="DeliveryCount">The delivery it came from (<see cref="WorkContext.DeliveryCount"/>): more than 1 means it may have been written before.</param>
public sealed record ItemResult<TResult>(long ItemId, TResult Value, int DeliveryCount);
