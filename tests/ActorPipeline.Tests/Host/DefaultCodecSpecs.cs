using System.Runtime.CompilerServices;
using ActorPipeline.Hosting.Pipeline;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ActorPipeline.Tests.Host;

/// <summary>The codec a pipeline picks when none is given: raw bytes, Protocol Buffers messages, JSON for anything else.</summary>
public sealed class DefaultCodecSpecs
{
    [Fact]
    public void Should_encode_a_plain_record_as_JSON_when_no_codec_is_given()
    {
        var services = new ServiceCollection();
        services.AddActorPipeline(new ConfigurationBuilder().Build(), pipeline => pipeline
            .AddItemSource<RecordSource>()
            .AddWorkHandler<RecordHandler>());

        var parts = services.BuildServiceProvider().GetRequiredService<PipelineParts>();
        var payload = new JsonItemCodec<Job>().Encode(new Job(7, "seven"));

        Assert.Equal(typeof(Job), parts.ItemType);
        Assert.Equal("""{"id":7,"name":"seven"}""", System.Text.Encoding.UTF8.GetString(payload.Span));
        Assert.Equal("Job { Id = 7, Name = seven }", parts.Formatter.Describe(payload));
    }

    [Fact]
    public void Should_encode_a_Protocol_Buffers_message_as_Protocol_Buffers_when_no_codec_is_given()
    {
        var services = new ServiceCollection();
        services.AddActorPipeline(new ConfigurationBuilder().Build(), pipeline => pipeline
            .AddItemSource<MessageSource>()
            .AddWorkHandler<MessageHandler>());

        var parts = services.BuildServiceProvider().GetRequiredService<PipelineParts>();
        var payload = new StringValue { Value = "seven" }.ToByteArray();

        Assert.Equal(typeof(StringValue), parts.ItemType);
        // Decoded as a message (its ToString is JSON; a wrapper type's is the bare value): a JSON codec could not read these bytes.
        Assert.Equal("\"seven\"", parts.Formatter.Describe(payload));
    }

    public sealed record Job(int Id, string Name);

    private sealed class MessageSource : IItemSource<StringValue>
    {
        public async IAsyncEnumerable<StringValue> ReadAsync(SourceContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            yield break;
        }
    }

    private sealed class MessageHandler : IWorkHandler<StringValue>
    {
        public ValueTask HandleAsync(StringValue item, WorkContext context) => ValueTask.CompletedTask;
    }

    private sealed class RecordSource : IItemSource<Job>
    {
        public async IAsyncEnumerable<Job> ReadAsync(SourceContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            yield break;
        }
    }

    private sealed class RecordHandler : IWorkHandler<Job>
    {
        public ValueTask HandleAsync(Job item, WorkContext context) => ValueTask.CompletedTask;
    }
}
