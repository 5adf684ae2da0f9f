using System.Runtime.CompilerServices;
using System.Text;
using ActorPipeline.Coordinator.Wire;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ActorPipeline.Tests.Units;

/// <summary>
/// The codec a pipeline picks when none is given: <see cref="JsonItemCodec{T}"/> (web defaults) for a plain item type,
/// <see cref="ProtobufItemCodec{T}"/> for a Protocol Buffers message.
/// </summary>
public sealed class DefaultCodecSpecs
{
    [Fact]
    public void Should_encode_a_plain_item_type_as_camel_case_json_by_default()
    {
        var parts = PartsFor<NoItems<Point>, NoWork<Point>>();
        var payload = new JsonItemCodec<Point>().Encode(new Point(1, 2));

        Assert.Equal("""{"x":1,"y":2}""", Encoding.UTF8.GetString(payload.Span));
        Assert.Equal("Point { X = 1, Y = 2 }", parts.Formatter.Describe(payload));
    }

    [Fact]
    public void Should_encode_a_protocol_buffers_message_in_its_wire_format_by_default()
    {
        var parts = PartsFor<NoItems<AcksIgnored>, NoWork<AcksIgnored>>();
        var message = new AcksIgnored { Count = 7 };

        Assert.Equal(message.ToString(), parts.Formatter.Describe(new ProtobufItemCodec<AcksIgnored>().Encode(message)));
    }

    [Fact]
    public void Should_refuse_null_serializer_options()
    {
        Assert.Throws<ArgumentNullException>(() => new JsonItemCodec<Point>((System.Text.Json.JsonSerializerOptions)null!));
    }

    private static PipelineParts PartsFor<TSource, THandler>()
        where TSource : class
        where THandler : class
    {
        var services = new ServiceCollection();
        services.AddActorPipeline(new ConfigurationBuilder().Build(), pipeline => pipeline
            .AddItemSource<TSource>()
            .AddWorkHandler<THandler>());
        return services.Select(d => d.ImplementationInstance).OfType<PipelineParts>().Single();
    }

    internal sealed record Point(int X, int Y);

    internal sealed class NoItems<T> : IItemSource<T>
    {
        public async IAsyncEnumerable<T> ReadAsync(SourceContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.CompletedTask;
            yield break;
        }
    }

    internal sealed class NoWork<T> : IWorkHandler<T>
    {
        public ValueTask HandleAsync(T item, WorkContext context) => ValueTask.CompletedTask;
    }
}
