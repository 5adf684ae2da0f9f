namespace ActorPipeline.Coordinator.Observability;

/// <summary>
/// How logs show an item: decoded by the pipeline's codec and formatted as the user asked (its
/// <c>ToString()</c> by default), or as hex for raw bytes. Only called for lines that are written.
/// </summary>
internal sealed class ItemFormatter(Func<ReadOnlyMemory<byte>, string> describe)
{
    /// <summary>Raw bytes as lower-case hex, the way the seed prints its items.</summary>
    public static readonly ItemFormatter Hex = new(payload => Convert.ToHexStringLower(payload.Span));

    /// <summary>
    /// For a reader without the item type (the operator's commands): a payload that reads as a JSON object or array
    /// (the default codec's) as its text, anything else (Protocol Buffers, raw bytes) as hex. Only whole JSON
    /// containers count, so that random bytes that happen to be printable still show as the hex the Host logs.
    /// </summary>
    public static readonly ItemFormatter JsonOrHex = new(payload =>
    {
        var text = System.Text.Encoding.UTF8.GetString(payload.Span);
        var json = text is ['{', .., '}'] or ['[', .., ']']
            && !text.Contains('\uFFFD', StringComparison.Ordinal) && !text.Any(char.IsControl);
        return json ? text : Convert.ToHexStringLower(payload.Span);
    });

    public string Describe(QueueItem item) => Describe(item.Payload);

    public string Describe(ReadOnlyMemory<byte> payload)
    {
        try
        {
            return describe(payload);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // A log line must not fail the work it reports on; the bytes still say which item it was.
            return $"{Convert.ToHexStringLower(payload.Span[..Math.Min(payload.Length, 32)])} (not readable as the item type: {error.Message})";
        }
    }
}
