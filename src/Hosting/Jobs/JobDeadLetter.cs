namespace ActorPipeline;

/// <summary>An item of a job whose work handler gave up on it: settled for the job's join, and kept with its last error.</summary>
/// <param name="ItemId">The item's id in the queue (what the operator's commands name).</param>
/// <param name="Attempts">How many times the handler was called for it.</param>
/// <param name="Error">The handler's last error.</param>
/// <param name="Item">The item as the pipeline's format shows it (its <c>ToString()</c> unless <see cref="ActorPipelineBuilder.FormatItems{T}"/> says otherwise).</param>
public sealed record JobDeadLetter(long ItemId, int Attempts, string Error, string Item);
