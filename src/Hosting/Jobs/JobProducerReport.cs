namespace ActorPipeline;

/// <summary>Who put into a job, and how many items the job accepted from it.</summary>
/// <param name="ProducerId">
/// A node's producer (<c>{node}/producer-{n}</c>), or a client's put: <c>{jobId}/{idempotencyKey}</c>, or
/// <c>{jobId}/c-{guid}</c> for a put without a key.
/// </param>
/// <param name="Accepted">Items accepted from it.</param>
public sealed record JobProducerReport(string ProducerId, long Accepted);
