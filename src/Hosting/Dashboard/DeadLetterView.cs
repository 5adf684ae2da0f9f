namespace ActorPipeline.Hosting.Dashboard;

/// <summary>One dead letter's row, as the coordinator cut it short for the page.</summary>
/// <param name="ItemId">The item, which a requeue names.</param>
/// <param name="Attempts">How often its handler failed.</param>
/// <param name="Error">The last error (the first 300 characters).</param>
/// <param name="PayloadHex">The payload's first 32 bytes, as hex.</param>
/// <param name="PayloadBytes">The whole payload's length.</param>
internal sealed record DeadLetterView(long ItemId, int Attempts, string Error, string PayloadHex, int PayloadBytes)
{
    public static DeadLetterView Of(DeadLetterOverview dead) =>
        new(dead.ItemId, dead.Attempts, dead.Error, Convert.ToHexStringLower(dead.PayloadStart.Span), dead.PayloadLength);
}
