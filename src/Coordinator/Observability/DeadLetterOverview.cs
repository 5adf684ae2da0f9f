namespace ActorPipeline.Coordinator.Observability;

/// <summary>A dead letter as the operator's page lists it: cut short, so an overview stays small whatever the items hold.</summary>
/// <param name="ItemId">The item's id, which a requeue names.</param>
/// <param name="Attempts">How often its handler failed.</param>
/// <param name="Error">The last error, at most <see cref="MaxErrorLength"/> characters (cut with an ellipsis).</param>
/// <param name="PayloadStart">The payload's first <see cref="MaxPayloadStart"/> bytes at most.</param>
/// <param name="PayloadLength">The whole payload's length.</param>
internal sealed record DeadLetterOverview(long ItemId, int Attempts, string Error, ReadOnlyMemory<byte> PayloadStart, int PayloadLength)
{
    public const int MaxErrorLength = 300;
    public const int MaxPayloadStart = 32;

    public static DeadLetterOverview Of(DeadLetteredItem dead) => new(
        dead.ItemId,
        dead.Attempts,
        Cut(dead.Error),
        dead.Item.Payload[..Math.Min(MaxPayloadStart, dead.Item.Payload.Length)].ToArray(),
        dead.Item.Payload.Length);

    private static string Cut(string error)
    {
        if (error.Length <= MaxErrorLength)
        {
            return error;
        }

        var keep = MaxErrorLength - 1;
        if (char.IsHighSurrogate(error[keep - 1]))
        {
            keep--; // never half a character (the wire would carry it as U+FFFD)
        }

        return string.Concat(error.AsSpan(0, keep), "…");
    }
}
