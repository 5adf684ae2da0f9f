namespace ActorPipeline.Host.Dashboard;

/// <summary>One dead letter's row; the payload and the error are cut short for the page.</summary>
public sealed record DeadLetterView(long ItemId, int Attempts, string Error, string PayloadHex);
