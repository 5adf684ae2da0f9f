using System.Runtime.CompilerServices;

namespace ActorPipeline.Hosting.Pipeline;

/// <summary>The user's source as a producer reads it: each item encoded by the pipeline's codec.</summary>
internal sealed class EncodingItemSource<T>(IItemSource<T> source, IItemCodec<T> codec, ItemFormatter formatter) : IPayloadSource
{
    public ItemFormatter Formatter => formatter;

    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadAsync(SourceContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in source.ReadAsync(context, cancellationToken).WithCancellation(cancellationToken))
        {
            yield return codec.Encode(item);
        }
    }
}
