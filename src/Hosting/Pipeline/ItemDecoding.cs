namespace ActorPipeline.Hosting.Pipeline;

/// <summary>Decoding on the consumer's side: bytes no codec can read will never be read, so they are not retried.</summary>
internal static class ItemDecoding
{
    public static T Decode<T>(IItemCodec<T> codec, WorkContext context)
    {
        try
        {
            return codec.Decode(context.Item.Payload);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            throw new PermanentItemFailureException(
                $"Item {context.ItemId} cannot be decoded as {typeof(T).Name} by {codec.GetType().Name}: {error.Message}", error);
        }
    }
}
