using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;

namespace ActorPipeline.Tests.Library;

/// <summary>
/// Items survive the trip from a source to a handler in every codec, the builder picks the codec a type needs,
/// bytes no codec reads are dead-lettered at once, and log lines show items as the user asked.
/// </summary>
public sealed class CodecSpecs
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Shipment Shipment = new(
        "Sendung-ß-✓-📦",
        new Parcel("Größe L \"fragile\" ✓", 1_250, Note: null),
        [new Parcel("a", 0), new Parcel("生产者", int.MaxValue, "line\nbreak"), new Parcel("", -1)],
        new Dictionary<string, int?> { ["boxes"] = 3, ["crates"] = null, ["ünits"] = 0 },
        Note: null);

    private static readonly SampleOrder Order = new()
    {
        Id = "order-✓-7",
        Customer = new Customer { Name = "Zoë Ångström", Email = "zoe@example.org" },
        Lines = { new Line { Sku = "A-1", Quantity = 2 }, new Line { Sku = "生产", Quantity = -3 } },
        Tags = { ["priority"] = "high", ["emoji"] = "🚀" },
        Attachment = ByteString.CopyFrom(0x00, 0xFF, 0x10),
    };

    [Fact]
    public void Should_round_trip_nested_values_unicode_and_nulls_as_camel_case_json_by_default()
    {
        var codec = new JsonItemCodec<Shipment>();

        var bytes = codec.Encode(Shipment);
        var decoded = codec.Decode(bytes);

        Assert.Equivalent(Shipment, decoded, strict: true);
        Assert.Null(decoded.Note);
        Assert.Null(decoded.Main!.Note);
        using var json = JsonDocument.Parse(bytes);
        Assert.Equal(1_250, json.RootElement.GetProperty("main").GetProperty("weightGrams").GetInt32()); // JsonSerializerOptions.Web
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("counts").GetProperty("crates").ValueKind);
    }

    [Fact]
    public void Should_use_the_serializer_options_it_is_given_without_freezing_the_users_instance()
    {
        var options = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };
        var codec = new JsonItemCodec<Parcel>(options);
        var parcel = new Parcel("Größe ✓", 7);

        var bytes = codec.Encode(parcel);

        Assert.Equal(parcel, codec.Decode(bytes));
        var text = Encoding.UTF8.GetString(bytes.Span);
        Assert.Contains("\"weight_grams\":7", text, StringComparison.Ordinal);
        Assert.DoesNotContain("note", text, StringComparison.Ordinal);
        Assert.False(options.IsReadOnly); // the user may still change or reuse their options
    }

    [Fact]
    public void Should_use_source_generated_metadata_from_a_json_serializer_context()
    {
        var codec = new JsonItemCodec<Parcel>(ParcelJsonContext.Default.Parcel);
        var parcel = new Parcel("生产者", 42, "n");

        var bytes = codec.Encode(parcel);

        Assert.Equal(parcel, codec.Decode(bytes));
        Assert.Contains("\"weight-grams\":42", Encoding.UTF8.GetString(bytes.Span), StringComparison.Ordinal);
    }

    [Fact]
    public void Should_refuse_json_null_as_an_item()
    {
        var codec = new JsonItemCodec<Parcel>();

        var refused = Assert.Throws<JsonException>(() => codec.Decode("null"u8.ToArray()));

        Assert.Contains("Parcel", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_round_trip_a_generated_protocol_buffers_message_in_its_wire_format()
    {
        var codec = new ProtobufItemCodec<SampleOrder>();

        var bytes = codec.Encode(Order);

        Assert.Equal(Order, codec.Decode(bytes));
        Assert.Equal(Order.ToByteArray(), bytes.ToArray()); // what any reader of the schema reads
        Assert.Equal(Order, SampleOrder.Parser.ParseFrom(bytes.Span));
    }

    [Theory]
    [InlineData("")]
    [InlineData("00")]
    [InlineData("00ff107f80")]
    public void Should_carry_raw_bytes_as_they_are(string hex)
    {
        var codec = new RawBytesCodec();
        var item = Convert.FromHexString(hex);

        var bytes = codec.Encode(item);

        Assert.Equal(item, bytes.ToArray());
        Assert.Equal(item, codec.Decode(bytes));
    }

    [Fact]
    public async Task Should_carry_byte_arrays_raw_by_default()
    {
        byte[][] items = [[0x00, 0xFF], [], [0x10]];
        await using var pipeline = Compose(items);

        var payloads = await pipeline.ReadAsync(Ct);
        var decoded = await HandleAllAsync<byte[]>(pipeline, payloads);

        Assert.Equal(items, payloads.Select(p => p.ToArray()));
        Assert.Equal(items, decoded);
    }

    [Fact]
    public async Task Should_carry_protocol_buffers_messages_in_their_wire_format_by_default()
    {
        var second = new SampleOrder { Id = "second" };
        await using var pipeline = Compose(Order, second);

        var payloads = await pipeline.ReadAsync(Ct);
        var decoded = await HandleAllAsync<SampleOrder>(pipeline, payloads);

        Assert.Equal([Order.ToByteArray(), second.ToByteArray()], payloads.Select(p => p.ToArray()));
        Assert.Equal([Order, second], decoded);
    }

    [Fact]
    public async Task Should_carry_any_other_type_as_json_by_default()
    {
        var parcels = new[] { new Parcel("Größe ✓", 7), new Parcel("b", 0, "n") };
        await using var pipeline = Compose(parcels);

        var payloads = await pipeline.ReadAsync(Ct);
        var decoded = await HandleAllAsync<Parcel>(pipeline, payloads);

        Assert.Equal(parcels.Select(p => JsonSerializer.SerializeToUtf8Bytes(p, JsonSerializerOptions.Web)), payloads.Select(p => p.ToArray()));
        Assert.Equal(parcels, decoded);
    }

    [Fact]
    public async Task Should_carry_a_value_type_as_json_by_default()
    {
        await using var pipeline = Compose(42, -7);

        var payloads = await pipeline.ReadAsync(Ct);
        var decoded = await HandleAllAsync<int>(pipeline, payloads);

        Assert.Equal(["42", "-7"], payloads.Select(p => Encoding.UTF8.GetString(p.Span)));
        Assert.Equal([42, -7], decoded);
    }

    [Fact]
    public async Task Should_encode_and_decode_with_the_codec_the_user_chose_for_the_item_type()
    {
        await using var pipeline = Compose(["abc", "✓x"], p => p.UseCodec(new ReversedTextCodec()));

        var payloads = await pipeline.ReadAsync(Ct);
        var decoded = await HandleAllAsync<string>(pipeline, payloads);

        Assert.Equal(["cba", "x✓"], payloads.Select(p => Encoding.UTF8.GetString(p.Span)));
        Assert.Equal(["abc", "✓x"], decoded);
    }

    [Theory]
    [InlineData("json", "7b6e6f74206a736f6e")] // {not json
    [InlineData("json", "6e756c6c")] // null
    [InlineData("protobuf", "ffffffff")] // a tag cut short
    public async Task Should_dead_letter_bytes_the_codec_cannot_read_at_once_naming_the_item(string codec, string hex)
    {
        var payload = Convert.FromHexString(hex);
        await using var pipeline = codec == "json" ? Compose(new Parcel("p", 1)) : Compose(Order);

        var failure = await Assert.ThrowsAsync<PermanentItemFailureException>(async () => await pipeline.HandleAsync(payload, itemId: 4711, cancellationToken: Ct));

        Assert.Contains("Item 4711 cannot be decoded as", failure.Message, StringComparison.Ordinal);
        Assert.Contains(codec == "json" ? "Parcel" : "SampleOrder", failure.Message, StringComparison.Ordinal);
        Assert.NotNull(failure.InnerException); // the codec's own error, for the dead letter
        var handled = codec == "json" ? pipeline.Get<RecordingHandler<Parcel>>().Handled.Count : pipeline.Get<RecordingHandler<SampleOrder>>().Handled.Count;
        Assert.Equal(0, handled); // the user's handler never sees what cannot be read
    }

    [Fact]
    public async Task Should_dead_letter_undecodable_bytes_before_a_result_handler_or_its_sink_runs()
    {
        var sink = new CountingSink();
        await using var pipeline = new ComposedPipeline(
            p => p.AddItemSource<ListItemSource<Parcel>>().AddWorkHandler<WeighParcel>().AddResultSink<CountingSink>(),
            services => services.AddSingleton(new ListItemSource<Parcel>()).AddSingleton(sink));

        var failure = await Assert.ThrowsAsync<PermanentItemFailureException>(async () => await pipeline.HandleAsync("[1,2]"u8.ToArray(), itemId: 9, cancellationToken: Ct));

        Assert.Contains("Item 9 cannot be decoded as Parcel", failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, sink.Writes);
        await pipeline.HandleAsync(new JsonItemCodec<Parcel>().Encode(new Parcel("p", 5)), itemId: 10, cancellationToken: Ct);
        Assert.Equal(1, sink.Writes); // the same adapter with readable bytes does reach the sink
    }

    [Fact]
    public async Task Should_show_items_in_logs_by_their_to_string_by_default()
    {
        var parcel = new Parcel("Größe ✓", 7);
        await using var pipeline = Compose(parcel);

        var payload = Assert.Single(await pipeline.ReadAsync(Ct));

        Assert.Equal(parcel.ToString(), pipeline.Parts.Formatter.Describe(payload));
        Assert.Same(pipeline.Parts.Formatter, pipeline.Handler.Formatter); // the consumers' log lines
        Assert.Same(pipeline.Parts.Formatter, pipeline.Parts.CreateSource(pipeline.Provider).Formatter); // the producers'
    }

    [Fact]
    public async Task Should_show_items_in_logs_as_the_user_formats_them()
    {
        await using var pipeline = Compose([new Parcel("Größe ✓", 7)], p => p.FormatItems<Parcel>(parcel => $"parcel {parcel.Label} ({parcel.WeightGrams} g)"));

        var payload = Assert.Single(await pipeline.ReadAsync(Ct));

        Assert.Equal("parcel Größe ✓ (7 g)", pipeline.Parts.Formatter.Describe(payload));
    }

    [Fact]
    public async Task Should_show_byte_array_items_in_logs_as_lower_case_hex()
    {
        byte[] item = [0x00, 0xAB, 0x10];
        await using var pipeline = Compose([item], _ => { });

        var payload = Assert.Single(await pipeline.ReadAsync(Ct));

        Assert.Equal("00ab10", pipeline.Parts.Formatter.Describe(payload));
    }

    [Fact]
    public async Task Should_show_undecodable_bytes_in_logs_as_hex_without_throwing()
    {
        await using var pipeline = Compose([new Parcel("p", 1)], p => p.FormatItems<Parcel>(parcel => parcel.Label));

        var shown = pipeline.Parts.Formatter.Describe("{not json"u8.ToArray());

        Assert.StartsWith("7b6e6f74206a736f6e", shown, StringComparison.Ordinal);
        Assert.Contains("not readable as the item type", shown, StringComparison.Ordinal);
    }

    private static ComposedPipeline Compose<T>(params T[] items) => Compose(items, _ => { });

    private static ComposedPipeline Compose<T>(T[] items, Action<ActorPipelineBuilder> more) =>
        new(
            p => more(p.AddItemSource<ListItemSource<T>>().AddWorkHandler<RecordingHandler<T>>()),
            services => services.AddSingleton(new ListItemSource<T>(items)).AddSingleton<RecordingHandler<T>>());

    /// <summary>Gives each payload to the handler adapter, as one delivery each, and returns what the user's handler got.</summary>
    private static async Task<List<T>> HandleAllAsync<T>(ComposedPipeline pipeline, List<ReadOnlyMemory<byte>> payloads)
    {
        for (var i = 0; i < payloads.Count; i++)
        {
            await pipeline.HandleAsync(payloads[i], itemId: i + 1, cancellationToken: Ct);
        }

        return [.. pipeline.Get<RecordingHandler<T>>().Handled.Select(h => h.Item)];
    }

    /// <summary>A codec of the user's own: UTF-8 text, reversed, so its use shows in the bytes.</summary>
    private sealed class ReversedTextCodec : IItemCodec<string>
    {
        public ReadOnlyMemory<byte> Encode(string item) => Encoding.UTF8.GetBytes(new string([.. item.Reverse()]));

        public string Decode(ReadOnlyMemory<byte> payload) => new([.. Encoding.UTF8.GetString(payload.Span).Reverse()]);
    }

    private sealed class WeighParcel : IWorkHandler<Parcel, int>
    {
        public ValueTask<int> HandleAsync(Parcel item, WorkContext context) => ValueTask.FromResult(item.WeightGrams);
    }

    private sealed class CountingSink : IResultSink<int>
    {
        private int _writes;

        public int Writes => Volatile.Read(ref _writes);

        public ValueTask WriteAsync(ItemResult<int> result, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _writes);
            return ValueTask.CompletedTask;
        }
    }
}
