using System.Buffers.Binary;
using System.Runtime.Serialization;
using System.Text;
using ActorPipeline.Coordinator;
using Akka.Actor;
using Akka.Hosting;
using static ActorPipeline.Coordinator.QueueProtocol;

namespace ActorPipeline.Tests.Units;

/// <summary>
/// The queue protocol's serializer as the hosting extension binds it: every message survives the
/// round trip field by field, and malformed bytes (the network's) only ever give a SerializationException.
/// </summary>
public sealed class QueueMessageSerializerSpecs(ITestOutputHelper output) : Akka.Hosting.TestKit.TestKit(output: output)
{
    // Sub-millisecond ticks, so that a format keeping less than full ticks would show.
    private static readonly DateTime PutAt = new DateTime(2025, 3, 14, 15, 9, 26, 535, DateTimeKind.Utc).AddTicks(8979);

    private static readonly QueueStatus Status = new(
        Size: 1, InFlight: 2, Capacity: 3, IsShutDown: true, Accepted: 4_000_000_004, Completed: 5_000_000_005,
        DeadLettered: 6, Dropped: 7, Redelivered: 8, ParkedPuts: 9, WaitingGetters: 10, DuplicateAcks: long.MaxValue,
        Consumers: 12, ExpectedProducers: 13, ProducersRegistered: 14, ProducersDone: 15, ProducersLost: int.MaxValue);

    /// <summary>At least one of every message, with the edge values each can carry, keyed by a name the test list shows.</summary>
    private static readonly Dictionary<string, IQueueMessage> Samples = new()
    {
        ["Put of one item"] = new Put("producer-1", 1, [Item("01ff", PutAt)]),
        ["Put of a batch"] = new Put(
            "producer-7",
            long.MaxValue,
            [Item("00", PutAt), Item("", DateTime.MinValue), Item(new string('a', 2_000), DateTime.MaxValue), Item("deadbeef", PutAt.AddTicks(1))],
            Wait: false),
        ["Put of nothing"] = new Put("", long.MinValue, []),
        ["Put with a unicode producer"] = new Put("Erzeuger-ü ✓ 生产者 🚀", -1, [Item("7f80", PutAt)]),
        ["PutAccepted"] = new PutAccepted("producer-1", 42, 3),
        ["PutRejected for full"] = new PutRejected("p", -5, PutRejection.Full, 0),
        ["PutRejected for shut down"] = new PutRejected("p", 9, PutRejection.ShutDown, int.MaxValue),
        ["RegisterProducer"] = new RegisterProducer("node-a/producer-3"),
        ["ProducerRegistered"] = new ProducerRegistered("node-a/producer-3"),
        ["ProducerDone"] = new ProducerDone("node-a/producer-3", long.MinValue),
        ["ProducerDoneAck"] = new ProducerDoneAck("node-a/producer-3"),
        ["Get"] = new Get(1),
        ["Get without waiting"] = new Get(int.MaxValue, Wait: false),
        ["RequestWork"] = new RequestWork(100),
        ["RequestWork of nothing"] = new RequestWork(0),
        ["Delivery of a batch"] = new Delivery([new(1, Item("01", PutAt)), new(long.MaxValue, Item("", PutAt)), new(-7, Item("ff00ff", DateTime.MinValue))]),
        ["Delivery of nothing"] = new Delivery([]),
        ["CancelGet"] = CancelGet.Instance,
        ["GetCancelled"] = new GetCancelled(-2),
        ["QueueEmpty"] = QueueEmpty.Instance,
        ["QueueShutDown"] = QueueShutDown.Instance,
        ["TaskDone of one"] = new TaskDone(7),
        ["TaskDone of many"] = new TaskDone([long.MinValue, -1, 0, 1, long.MaxValue]),
        ["TaskDone of nothing"] = new TaskDone([]),
        ["TaskDoneRejected"] = new TaskDoneRejected(-9, "délivrance 9 n'est pas en cours ✗"),
        ["Release"] = new Release([3, 1, 2]),
        ["Release of nothing"] = new Release([]),
        ["TaskFailed"] = new TaskFailed(long.MaxValue, 3, "System.Exception: boom 💥\n   at Handler.Run()\r\n"),
        ["Join"] = Join.Instance,
        ["Joined"] = Joined.Instance,
        ["JoinRun"] = JoinRun.Instance,
        ["RunCompleted"] = new RunCompleted(Status),
        ["GetStatus"] = GetStatus.Instance,
        ["QueueStatus"] = Status with { IsShutDown = false, Size = int.MinValue, Completed = long.MinValue },
        ["GetDeadLetters"] = GetDeadLetters.Instance,
        ["DeadLetters"] = new DeadLetters([new(1, Item("0bad", PutAt), 3, "first ✗"), new(2, Item("", DateTime.MaxValue), int.MaxValue, "")]),
        ["DeadLetters of nothing"] = new DeadLetters([]),
        ["Shutdown graceful"] = new Shutdown(Immediate: false),
        ["Shutdown immediate"] = new Shutdown(Immediate: true),
        ["ShutdownAck"] = new ShutdownAck(17),
    };

    public static TheoryData<string> SampleNames => new(Samples.Keys);

    /// <summary>The serializer the actor system chose for the protocol, which these specs also call directly.</summary>
    private QueueMessageSerializer Serializer => Assert.IsType<QueueMessageSerializer>(Sys.Serialization.FindSerializerFor(GetStatus.Instance));

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider) => builder.WithQueueSerializer();

    [Fact]
    public void Should_have_a_sample_and_a_distinct_manifest_for_every_message_of_the_protocol()
    {
        var messageTypes = typeof(QueueProtocol).GetNestedTypes()
            .Where(t => typeof(IQueueMessage).IsAssignableFrom(t))
            .ToHashSet();
        var sampled = Samples.Values.Select(m => m.GetType()).ToHashSet();

        Assert.Equal(28, messageTypes.Count);
        Assert.Empty(messageTypes.Except(sampled).Select(t => t.Name));

        var manifests = messageTypes.Select(t => Serializer.Manifest(Samples.Values.First(m => m.GetType() == t))).ToList();
        Assert.Equal(manifests.Count, manifests.Distinct(StringComparer.Ordinal).Count());
        Assert.All(manifests, m => Assert.InRange(m.Length, 1, 3));
    }

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void Should_round_trip_through_the_serializer_bound_by_the_hosting_extension(string sample)
    {
        var message = Samples[sample];
        var serializer = Assert.IsType<QueueMessageSerializer>(Sys.Serialization.FindSerializerFor(message));
        Assert.Equal(7341, serializer.Identifier);

        var manifest = serializer.Manifest(message);
        var bytes = serializer.ToBinary(message);

        AssertEquivalent(message, serializer.FromBinary(bytes, manifest));
        AssertEquivalent(message, Sys.Serialization.Deserialize(bytes, serializer.Identifier, manifest));
    }

    [Fact]
    public void Should_write_singletons_as_empty_bodies_and_read_back_the_same_instance()
    {
        IQueueMessage[] singletons = [CancelGet.Instance, QueueEmpty.Instance, QueueShutDown.Instance, Join.Instance, Joined.Instance, JoinRun.Instance, GetStatus.Instance, GetDeadLetters.Instance];

        foreach (var singleton in singletons)
        {
            var bytes = Serializer.ToBinary(singleton);
            Assert.Empty(bytes);
            Assert.Same(singleton, Serializer.FromBinary([], Serializer.Manifest(singleton)));
        }
    }

    [Fact]
    public void Should_write_a_put_in_the_documented_little_endian_layout()
    {
        var put = new Put("p", 2, [new QueueItem(new byte[] { 0xAB }, new DateTime(0x0102030405060708, DateTimeKind.Utc))], Wait: false);

        // ProducerId (length, UTF-8), SequenceNr, item count, payload (length, bytes), PutAt ticks, Wait.
        Assert.Equal("P", Serializer.Manifest(put));
        Assert.Equal("0100000070" + "0200000000000000" + "01000000" + "01000000AB" + "0807060504030201" + "00", Convert.ToHexString(Serializer.ToBinary(put)));
    }

    [Fact]
    public void Should_send_put_times_as_utc_ticks()
    {
        var local = new DateTime(2025, 6, 1, 12, 0, 0, DateTimeKind.Local).AddTicks(1234);
        var unspecified = new DateTime(2025, 6, 1, 12, 0, 0, DateTimeKind.Unspecified).AddTicks(5678);

        var back = (Put)RoundTrip(new Put("p", 1, [new QueueItem(new byte[] { 1 }, local), new QueueItem(new byte[] { 2 }, unspecified)]));

        Assert.Equal((local.ToUniversalTime().Ticks, DateTimeKind.Utc), (back.Items[0].PutAt.Ticks, back.Items[0].PutAt.Kind));
        Assert.Equal((unspecified.Ticks, DateTimeKind.Utc), (back.Items[1].PutAt.Ticks, back.Items[1].PutAt.Kind));
    }

    [Fact]
    public void Should_round_trip_strings_and_payloads_at_their_limits()
    {
        var longest = new string('x', QueueMessageSerializer.MaxStringBytes);
        var payload = new byte[QueueMessageSerializer.MaxPayloadBytes];
        new Random(1234).NextBytes(payload);

        var back = (Put)RoundTrip(new Put(longest, 1, [new QueueItem(payload, PutAt)]));

        Assert.Equal(longest, back.ProducerId);
        Assert.True(back.Items[0].Payload.Span.SequenceEqual(payload));
    }

    [Fact]
    public void Should_refuse_to_write_what_a_peer_would_refuse_to_read()
    {
        var tooLong = new string('x', QueueMessageSerializer.MaxStringBytes + 1);
        var tooLongInUtf8 = new string('生', (QueueMessageSerializer.MaxStringBytes / 3) + 1); // 3 UTF-8 bytes each
        var tooBig = new QueueItem(new byte[QueueMessageSerializer.MaxPayloadBytes + 1], PutAt);

        Assert.Contains("ProducerId", Assert.Throws<SerializationException>(() => Serializer.ToBinary(new RegisterProducer(tooLong))).Message, StringComparison.Ordinal);
        Assert.Contains("Error", Assert.Throws<SerializationException>(() => Serializer.ToBinary(new TaskFailed(1, 1, tooLongInUtf8))).Message, StringComparison.Ordinal);
        Assert.Contains("payload", Assert.Throws<SerializationException>(() => Serializer.ToBinary(new Put("p", 1, [tooBig]))).Message, StringComparison.Ordinal);
        Assert.Contains("PutRejection", Assert.Throws<SerializationException>(() => Serializer.ToBinary(new PutRejected("p", 1, (PutRejection)7, 0))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_refuse_objects_that_are_not_queue_messages_with_an_argument_exception()
    {
        Assert.Throws<ArgumentException>(() => Serializer.Manifest("not a queue message"));
        Assert.Throws<ArgumentException>(() => Serializer.ToBinary(new object()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("X")]
    [InlineData("p")] // manifests are case-sensitive
    [InlineData("ActorPipeline.Coordinator.QueueProtocol+Put, ActorPipeline.Coordinator")] // no type names, ever
    public void Should_reject_an_unknown_manifest(string manifest)
    {
        var ex = Assert.Throws<SerializationException>(() => Serializer.FromBinary([1, 0, 0, 0, 0x70], manifest));

        Assert.Contains($"'{manifest}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Unknown", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_reject_every_truncation_of_every_message()
    {
        var truncations = 0;
        foreach (var (name, message) in Samples)
        {
            var manifest = Serializer.Manifest(message);
            var bytes = Serializer.ToBinary(message);
            for (var length = 0; length < bytes.Length; length++)
            {
                AssertRejected(manifest, bytes[..length], because: $"{name} cut to {length} of {bytes.Length} bytes");
                truncations++;
            }
        }

        // The batch Put's 1,000-byte payload alone gives more prefixes than this: the loop cannot be vacuous.
        Assert.True(truncations > 1_000, $"only {truncations} truncations were tried");
    }

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void Should_reject_a_trailing_byte(string sample)
    {
        var message = Samples[sample];
        var manifest = Serializer.Manifest(message);

        var ex = AssertRejected(manifest, [.. Serializer.ToBinary(message), 0]);

        Assert.Contains("1 trailing byte", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("P", int.MaxValue)]
    [InlineData("P", -1)]
    [InlineData("P", QueueMessageSerializer.MaxListCount + 1)]
    [InlineData("P", 1_000)] // within the limit, but the bytes after it cannot hold that many items
    [InlineData("D", int.MaxValue)]
    [InlineData("D", int.MinValue)]
    [InlineData("TD", int.MaxValue)]
    [InlineData("TD", QueueMessageSerializer.MaxListCount)] // at the limit: only the bytes left stop an 8 MB array
    [InlineData("RL", int.MaxValue)]
    [InlineData("DL", int.MaxValue)]
    public void Should_reject_an_absurd_count_without_allocating_for_it(string manifest, int count)
    {
        byte[] bytes = manifest == "P"
            ? [.. LeString("p"), .. Le64(1), .. Le32(count), .. new byte[64]]
            : [.. Le32(count), .. new byte[64]];

        var before = GC.GetAllocatedBytesForCurrentThread();
        var ex = AssertRejected(manifest, bytes);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Matches("negative count|over the limit|bytes remain", ex.Message);
        Assert.True(allocated < 64 * 1024, $"rejecting the count allocated {allocated} bytes");
    }

    [Fact]
    public void Should_reject_lengths_that_are_negative_or_over_their_limit()
    {
        var overlongString = new byte[QueueMessageSerializer.MaxStringBytes + 1];
        var overlongPayload = new byte[QueueMessageSerializer.MaxPayloadBytes + 1];

        Assert.Contains("negative length", AssertRejected("RP", [.. Le32(-1)]).Message, StringComparison.Ordinal);
        Assert.Contains("over the limit", AssertRejected("RP", [.. Le32(overlongString.Length), .. overlongString]).Message, StringComparison.Ordinal);
        Assert.Contains("over the limit", AssertRejected("TF", [.. Le64(1), .. Le32(1), .. Le32(int.MaxValue)]).Message, StringComparison.Ordinal);
        Assert.Contains("truncated", AssertRejected("TDR", [.. Le64(1), .. Le32(100), .. new byte[99]]).Message, StringComparison.Ordinal);
        Assert.Contains("negative length", AssertRejected("P", [.. LeString("p"), .. Le64(1), .. Le32(1), .. Le32(int.MinValue), .. new byte[16]]).Message, StringComparison.Ordinal);
        Assert.Contains(
            "over the limit",
            AssertRejected("P", [.. LeString("p"), .. Le64(1), .. Le32(1), .. Le32(overlongPayload.Length), .. overlongPayload, .. Le64(0), 1]).Message,
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PR", 13, 2)] // PutRejected.Reason, after "p" and the sequence number
    [InlineData("PR", 13, 255)]
    [InlineData("P", -1, 2)] // Put.Wait, the last byte
    [InlineData("G", 4, 2)] // Get.Wait
    [InlineData("SD", 0, 255)] // Shutdown.Immediate
    [InlineData("QS", 12, 2)] // QueueStatus.IsShutDown, after three ints
    [InlineData("RC", 12, 3)] // the same, nested in RunCompleted
    public void Should_reject_an_enum_or_bool_byte_out_of_range(string manifest, int offset, byte value)
    {
        var bytes = Serializer.ToBinary(Samples.Values.First(m => Serializer.Manifest(m) == manifest));
        bytes[offset < 0 ? bytes.Length + offset : offset] = value;

        var ex = AssertRejected(manifest, bytes);

        Assert.Matches($"(bool|enum) byte {value},", ex.Message);
    }

    [Fact]
    public void Should_reject_put_times_outside_datetime_and_strings_that_are_not_utf8()
    {
        byte[] PutWithTicks(long ticks) => [.. LeString("p"), .. Le64(1), .. Le32(1), .. Le32(0), .. Le64(ticks), 1];

        Assert.Contains("ticks", AssertRejected("P", PutWithTicks(-1)).Message, StringComparison.Ordinal);
        Assert.Contains("ticks", AssertRejected("P", PutWithTicks(DateTime.MaxValue.Ticks + 1)).Message, StringComparison.Ordinal);
        Assert.Contains("ticks", AssertRejected("P", PutWithTicks(long.MinValue)).Message, StringComparison.Ordinal);
        Assert.Equal(DateTime.MaxValue, Assert.IsType<Put>(Serializer.FromBinary(PutWithTicks(DateTime.MaxValue.Ticks), "P")).Items[0].PutAt);

        Assert.Contains("UTF-8", AssertRejected("RP", [.. Le32(1), 0xFF]).Message, StringComparison.Ordinal);
        Assert.Contains("UTF-8", AssertRejected("RP", [.. Le32(3), 0xED, 0xA0, 0x80]).Message, StringComparison.Ordinal); // an encoded lone surrogate
        Assert.Contains("UTF-8", AssertRejected("RP", [.. Le32(2), 0xE7, 0x94]).Message, StringComparison.Ordinal); // a cut multi-byte sequence
    }

    [Fact]
    public void Should_only_ever_return_a_message_of_the_manifests_type_or_throw_a_serialization_exception_on_garbage()
    {
        var random = new Random(1234);
        var manifests = Samples.Values.Select(Serializer.Manifest).Distinct(StringComparer.Ordinal).ToArray();
        var valid = Samples.Values.Select(m => (Manifest: Serializer.Manifest(m), Bytes: Serializer.ToBinary(m))).ToArray();
        var (read, rejected) = (0, 0);

        void Attempt(string manifest, byte[] bytes, string what)
        {
            object result;
            try
            {
                result = Serializer.FromBinary(bytes, manifest);
            }
            catch (SerializationException ex)
            {
                Assert.Contains($"'{manifest}'", ex.Message, StringComparison.Ordinal);
                rejected++;
                return;
            }
            catch (Exception ex)
            {
                Assert.Fail($"{what} against '{manifest}' ({Convert.ToHexString(bytes)}) threw {ex}");
                throw;
            }

            Assert.Equal(manifest, Serializer.Manifest(result));
            read++;
        }

        // Random bytes against every manifest: short ones, so that small messages sometimes parse.
        foreach (var manifest in manifests)
        {
            for (var i = 0; i < 100; i++)
            {
                var bytes = new byte[random.Next(0, 48)];
                random.NextBytes(bytes);
                Attempt(manifest, bytes, $"random #{i}");
            }
        }

        // Valid messages with a few bytes flipped, sometimes cut or extended, read as their own and as another manifest.
        for (var i = 0; i < 3_000; i++)
        {
            var (manifest, original) = valid[random.Next(valid.Length)];
            var bytes = original.ToArray();
            for (var flips = random.Next(1, 4); flips > 0 && bytes.Length > 0; flips--)
            {
                bytes[random.Next(bytes.Length)] ^= (byte)random.Next(1, 256);
            }

            bytes = random.Next(8) switch
            {
                0 => bytes[..random.Next(bytes.Length + 1)],
                1 => [.. bytes, (byte)random.Next(256)],
                _ => bytes,
            };
            Attempt(manifest, bytes, $"mutation #{i}");
            Attempt(manifests[random.Next(manifests.Length)], bytes, $"mutation #{i} under another manifest");
        }

        Assert.True(read > 100 && rejected > 1_000, $"read {read}, rejected {rejected}: the inputs do not exercise both outcomes");
    }

    private static QueueItem Item(string hex, DateTime putAt) => new(Convert.FromHexString(hex), putAt);

    private static byte[] Le32(int value)
    {
        var bytes = new byte[sizeof(int)];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        return bytes;
    }

    private static byte[] Le64(long value)
    {
        var bytes = new byte[sizeof(long)];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        return bytes;
    }

    private static byte[] LeString(string value) => [.. Le32(Encoding.UTF8.GetByteCount(value)), .. Encoding.UTF8.GetBytes(value)];

    private static void AssertEquivalent(object expected, object actual)
    {
        Assert.Equal(expected.GetType(), actual.GetType());
        switch (expected)
        {
            case Put e:
                var put = (Put)actual;
                Assert.Equal((e.ProducerId, e.SequenceNr, e.Wait), (put.ProducerId, put.SequenceNr, put.Wait));
                AssertItems(e.Items, put.Items);
                break;
            case Delivery e:
                var delivery = (Delivery)actual;
                Assert.Equal(e.Items.Select(d => d.DeliveryId), delivery.Items.Select(d => d.DeliveryId));
                AssertItems([.. e.Items.Select(d => d.Item)], [.. delivery.Items.Select(d => d.Item)]);
                break;
            case DeadLetters e:
                var dead = (DeadLetters)actual;
                Assert.Equal(e.Items.Select(d => (d.DeliveryId, d.Attempts, d.Error)), dead.Items.Select(d => (d.DeliveryId, d.Attempts, d.Error)));
                AssertItems([.. e.Items.Select(d => d.Item)], [.. dead.Items.Select(d => d.Item)]);
                break;
            case TaskDone e:
                Assert.Equal(e.DeliveryIds, ((TaskDone)actual).DeliveryIds);
                break;
            case Release e:
                Assert.Equal(e.DeliveryIds, ((Release)actual).DeliveryIds);
                break;
            case CancelGet or QueueEmpty or QueueShutDown or Join or Joined or JoinRun or GetStatus or GetDeadLetters:
                Assert.Same(expected, actual);
                break;
            default:
                // The rest are records of scalars and strings (RunCompleted nests one), so value equality is field by field.
                Assert.Equal(expected, actual);
                break;
        }
    }

    private static void AssertItems(IReadOnlyList<QueueItem> expected, IReadOnlyList<QueueItem> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(expected[i].Payload.Span.SequenceEqual(actual[i].Payload.Span), $"item {i}: {actual[i].Hex} is not {expected[i].Hex}");
            Assert.Equal((expected[i].PutAt.Ticks, DateTimeKind.Utc), (actual[i].PutAt.Ticks, actual[i].PutAt.Kind));
        }
    }

    private object RoundTrip(IQueueMessage message) => Serializer.FromBinary(Serializer.ToBinary(message), Serializer.Manifest(message));

    private SerializationException AssertRejected(string manifest, byte[] bytes, string? because = null)
    {
        var ex = Assert.Throws<SerializationException>(() => Serializer.FromBinary(bytes, manifest));
        Assert.True(ex.Message.Contains($"'{manifest}'", StringComparison.Ordinal), $"{because}: the message does not name the manifest: {ex.Message}");
        return ex;
    }
}
