using System.Buffers.Binary;
using System.Collections;
using System.Reflection;
using System.Runtime.Serialization;
using System.Text;
using ActorPipeline.Coordinator;
using ActorPipeline.Tests.Fakes;
using Akka.Hosting;
using static ActorPipeline.Coordinator.QueueEvents;
using static ActorPipeline.Coordinator.QueueProtocol;

namespace ActorPipeline.Tests.Units;

/// <summary>
/// The queue protocol's serializer as the hosting extension binds it: every message, journal event and
/// snapshot survives the round trip field by field, journal data carries its format version, and
/// malformed bytes (the network's, or a journal's) only ever give a SerializationException.
/// </summary>
public sealed class QueueMessageSerializerSpecs(ITestOutputHelper output) : Akka.Hosting.TestKit.TestKit(output: output)
{
    // Sub-millisecond ticks, so that a format keeping less than full ticks would show.
    private static readonly DateTime PutAt = new DateTime(2025, 3, 14, 15, 9, 26, 535, DateTimeKind.Utc).AddTicks(8979);

    private static readonly QueueStatus Status = new(
        Size: 1, InFlight: 2, Capacity: 3, IsShutDown: true, Accepted: 4_000_000_004, Completed: 5_000_000_005,
        DeadLettered: 6, Dropped: 7, Redelivered: 8, ParkedPuts: 9, WaitingGetters: 10, DuplicateAcks: long.MaxValue,
        Consumers: 12, ExpectedProducers: 13, ProducersRegistered: 14, ProducersDone: 15, ProducersLost: int.MaxValue);

    /// <summary>At least one of every message, event and snapshot, with the edge values each can carry, keyed by a name the test list shows.</summary>
    private static readonly Dictionary<string, object> Samples = new()
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
        ["PutRejected for a run that is over"] = new PutRejected("node-a/producer-0", 12, PutRejection.RunOver, 0),
        ["RegisterProducer"] = new RegisterProducer("node-a/producer-3", "node-a", 5),
        ["RegisterProducer with no node"] = new RegisterProducer("producer-0"),
        ["ProducerRegistered"] = new ProducerRegistered("node-a/producer-3", long.MaxValue, 12_345),
        ["ProducerRegistered by the version before batched puts"] = new ProducerRegistered("p", 3),
        ["ProducerRegistered of a new producer"] = new ProducerRegistered("", 0),
        ["ProducerDone"] = new ProducerDone("node-a/producer-3", long.MinValue),
        ["ProducerDoneAck"] = new ProducerDoneAck("node-a/producer-3"),
        ["Get"] = new Get(1),
        ["Get without waiting"] = new Get(int.MaxValue, Wait: false),
        ["RequestWork"] = new RequestWork(100),
        ["RequestWork of nothing"] = new RequestWork(0),
        ["RequestWork with progress"] = new RequestWork(8, [(1L << 40) + 3, long.MaxValue, -1], (1L << 40) + 9),
        ["DeliveredUpTo"] = new DeliveredUpTo((3L << 40) + 17),
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
        ["DeadLetters"] = new DeadLetters([new(11, 1, Item("0bad", PutAt), 3, "first ✗"), new(long.MaxValue, 2, Item("", DateTime.MaxValue), int.MaxValue, "")]),
        ["DeadLetters of nothing"] = new DeadLetters([]),
        ["RequeueDeadLetters"] = new RequeueDeadLetters([11, long.MaxValue, -3]),
        ["RequeueDeadLetters of every one"] = new RequeueDeadLetters([]),
        ["DeadLettersRequeuedAck"] = new DeadLettersRequeuedAck(int.MaxValue),
        ["Shutdown graceful"] = new Shutdown(Immediate: false),
        ["Shutdown immediate"] = new Shutdown(Immediate: true),
        ["ShutdownAck"] = new ShutdownAck(17),

        // ---- the journal
        ["ItemsAccepted completing a put"] = new ItemsAccepted("producer-1", 7, 101, [Item("01ff", PutAt), Item("", DateTime.MinValue)], PutComplete: true),
        ["ItemsAccepted of part of a put"] = new ItemsAccepted("Erzeuger-ü ✓ 🚀", long.MinValue, long.MaxValue, [Item("deadbeef", DateTime.MaxValue)], PutComplete: false),
        ["ItemsAccepted of nothing"] = new ItemsAccepted("", 0, 0, [], PutComplete: true),
        ["ItemsDelivered"] = new ItemsDelivered(5, [101, 102, long.MaxValue]),
        ["ItemsDelivered of nothing"] = new ItemsDelivered(long.MinValue, []),
        ["ItemsCompleted"] = new ItemsCompleted([101, long.MinValue, 0]),
        ["ItemsCompleted of nothing"] = new ItemsCompleted([]),
        ["ItemsRequeued"] = new ItemsRequeued([(2L << 40) + 1, 5, long.MaxValue]),
        ["AcksIgnored"] = new AcksIgnored(long.MaxValue),
        ["ItemDeadLettered"] = new ItemDeadLettered(101, long.MaxValue, int.MinValue, "System.Exception: boom 💥\n   at Handler.Run()\r\n"),
        ["DeadLettersRequeued"] = new DeadLettersRequeued([101, -1]),
        ["DeadLettersRequeued of nothing"] = new DeadLettersRequeued([]),
        ["ProducerAnnounced"] = new ProducerAnnounced("node-a/producer-3", "node-a", int.MaxValue),
        ["ProducerCompleted"] = new ProducerCompleted("生产者"),
        ["ProducerLost"] = new ProducerLost(""),
        ["ShutdownRequested graceful"] = new ShutdownRequested(Immediate: false),
        ["ShutdownRequested immediate"] = new ShutdownRequested(Immediate: true),
        ["IncarnationStarted"] = new IncarnationStarted(long.MaxValue),
        ["RunFinished"] = new RunFinished(-1),
        ["RunStarted"] = new RunStarted(2),
        ["EventGroup of several commands' events"] = new EventGroup([
            new ItemsAccepted("producer-1", 7, 101, [Item("01ff", PutAt), Item("", DateTime.MinValue)], PutComplete: true),
            new ProducerAnnounced("node-a/producer-3", "node-a", 2), // its trailing fields are read in full inside a group
            new ItemsDelivered(5, [101, 102]),
            new ItemsCompleted([101]),
            new ProducerAnnounced("node-b/producer-0", "node-b", int.MaxValue),
        ]),
        ["EventGroup of nothing"] = new EventGroup([]),
        ["CoordinatorSnapshot"] = new CoordinatorSnapshot(
            RunNumber: 3,
            RunFinished: true,
            Incarnation: long.MaxValue,
            LastItemId: 4_000_000_004,
            LastDeliveryId: long.MinValue,
            Accepted: 5,
            Completed: 6,
            Dropped: -7,
            Redelivered: 8,
            DuplicateAcks: long.MaxValue,
            ShutDown: false,
            ShutDownImmediately: true,
            Items: [new(101, Item("01", PutAt), [5, 9, long.MaxValue], CurrentDelivery: long.MaxValue), new(102, Item("", DateTime.MinValue), []), new(-1, Item("ff00ff", DateTime.MaxValue), [0])],
            Producers: [new("node-a/producer-1", long.MinValue, 0, Announced: true, Done: false, Lost: true), new("", long.MaxValue, -1, Announced: false, Done: true, Lost: false, PartialSequenceNr: 12, PartialAdmitted: 3, Node: "node-ä", NodeProducers: 4)],
            DeadLetters: [new(11, 1, Item("0bad", PutAt), 3, "first ✗"), new(long.MinValue, 0, Item("", DateTime.MaxValue), 0, "")]),
        ["CoordinatorSnapshot of nothing"] = new CoordinatorSnapshot(0, false, 0, 0, 0, 0, 0, 0, 0, 0, false, false, [], [], []),
    };

    public static TheoryData<string> SampleNames => new(Samples.Keys);

    /// <summary>The serializer the actor system chose for the protocol, which these specs also call directly.</summary>
    private QueueMessageSerializer Serializer => Assert.IsType<QueueMessageSerializer>(Sys.Serialization.FindSerializerFor(GetStatus.Instance));

    /// <summary>The header of a <see cref="CoordinatorSnapshot"/> before its lists: the format version, then eight longs and three bools.</summary>
    private static byte[] SnapshotHeader =>
        [QueueMessageSerializer.FormatVersion, .. Le64(1), 0, .. Le64(1), .. Le64(1), .. Le64(1), .. Le64(1), .. Le64(1), .. Le64(1), 0, 0];

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider) => builder.WithQueueSerializer();

    [Fact]
    public void Should_have_a_sample_and_a_distinct_manifest_for_every_message_event_and_snapshot()
    {
        // Every concrete type the serializer is bound to, wherever it is declared.
        var concrete = typeof(IQueueMessage).Assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false }).ToList();
        var messageTypes = concrete.Where(typeof(IQueueMessage).IsAssignableFrom).ToHashSet();
        var journalTypes = concrete.Where(typeof(IQueueEvent).IsAssignableFrom).ToHashSet();
        var sampled = Samples.Values.Select(m => m.GetType()).ToHashSet();

        Assert.Equal(31, messageTypes.Count);
        Assert.Equal(16, journalTypes.Count);
        Assert.Empty(messageTypes.Intersect(journalTypes).Select(t => t.FullName));
        Assert.Empty(messageTypes.Union(journalTypes).Except(sampled).Select(t => t.FullName));

        string ManifestOfType(Type t) => Serializer.Manifest(Samples.Values.First(m => m.GetType() == t));
        var messageManifests = messageTypes.Select(ManifestOfType).ToList();
        var journalManifests = journalTypes.Select(ManifestOfType).ToList();
        var manifests = messageManifests.Concat(journalManifests).ToList();
        Assert.Equal(manifests.Count, manifests.Distinct(StringComparer.Ordinal).Count());
        Assert.All(manifests, m => Assert.InRange(m.Length, 1, 3));

        // The serializer tells journal data (which starts with a format version) by its manifest alone.
        Assert.All(journalManifests, m => Assert.True(m.StartsWith('E') || m == "S", $"journal manifest '{m}' is neither E... nor S"));
        Assert.All(messageManifests, m => Assert.False(m.StartsWith('E') || m == "S", $"protocol manifest '{m}' looks like a journal one"));
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
    public void Should_write_an_items_accepted_event_in_the_documented_layout_after_its_format_version()
    {
        var accepted = new ItemsAccepted("p", 2, 3, [new QueueItem(new byte[] { 0xAB }, new DateTime(0x0102030405060708, DateTimeKind.Utc))], PutComplete: true);

        // Format version, ProducerId (length, UTF-8), SequenceNr, FirstItemId, item count, payload (length, bytes), PutAt ticks, PutComplete.
        Assert.Equal(1, QueueMessageSerializer.FormatVersion);
        Assert.Equal("EIA", Serializer.Manifest(accepted));
        Assert.Equal(
            "01" + "0100000070" + "0200000000000000" + "0300000000000000" + "01000000" + "01000000AB" + "0807060504030201" + "01",
            Convert.ToHexString(Serializer.ToBinary(accepted)));
    }

    [Fact]
    public void Should_write_an_event_group_as_a_count_then_each_event_with_its_manifest_and_format_version()
    {
        var completed = new ItemsCompleted([9]);
        var finished = new RunFinished(3);

        // Format version, count, then per event: its manifest (length, UTF-8) and its bytes as stored alone.
        Assert.Equal("EG", Serializer.Manifest(new EventGroup([])));
        Assert.Equal(
            [QueueMessageSerializer.FormatVersion, .. Le32(2), .. LeString("EIC"), .. Serializer.ToBinary(completed), .. LeString("ERF"), .. Serializer.ToBinary(finished)],
            Serializer.ToBinary(new EventGroup([completed, finished])));
    }

    [Fact]
    public void Should_refuse_to_write_a_group_inside_a_group_or_a_snapshot_in_one()
    {
        var snapshot = (CoordinatorSnapshot)Samples["CoordinatorSnapshot of nothing"];

        Assert.Throws<ArgumentException>(() => Serializer.ToBinary(new EventGroup([new EventGroup([])])));
        Assert.Throws<ArgumentException>(() => Serializer.ToBinary(new EventGroup([new RunStarted(1), snapshot])));
    }

    [Theory]
    [InlineData("EG")]
    [InlineData("S")]
    [InlineData("TD")]
    [InlineData("EXX")]
    public void Should_reject_a_group_naming_what_is_not_a_single_known_event(string inner)
    {
        var ex = AssertRejected("EG", [QueueMessageSerializer.FormatVersion, .. Le32(1), .. LeString(inner), QueueMessageSerializer.FormatVersion, .. Le32(0), .. new byte[16]]);

        Assert.Contains(inner, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_start_every_journal_payload_and_no_protocol_message_with_the_format_version()
    {
        foreach (var (name, message) in Samples)
        {
            var bytes = Serializer.ToBinary(message);
            if (message is IQueueEvent)
            {
                var version = message is CoordinatorSnapshot ? QueueMessageSerializer.SnapshotFormatVersion : QueueMessageSerializer.FormatVersion;
                Assert.True(bytes.Length > 0 && bytes[0] == version, $"{name} does not start with the format version");
            }
        }

        // A protocol message's body starts with its first field: Put's is its producer id's length.
        Assert.Equal([.. LeString("p"), .. Le64(1), .. Le32(0), 1], Serializer.ToBinary(new Put("p", 1, [])));
    }

    [Fact]
    public void Should_read_a_snapshot_in_the_first_format_with_no_counts_and_no_partial_puts()
    {
        // A version 1 snapshot as the previous release stored it: no redelivered or duplicate-ack counts,
        // producers without a partly admitted put.
        byte[] stored =
        [
            .. SnapshotHeader,
            .. Le32(0),
            .. Le32(1), .. LeString("node/producer-0"), .. Le64(7), .. Le64(70), 1, 0, 0,
            .. Le32(0),
        ];

        var snapshot = Assert.IsType<CoordinatorSnapshot>(Serializer.FromBinary(stored, "S"));

        Assert.Equal((0L, 0L), (snapshot.Redelivered, snapshot.DuplicateAcks));
        var producer = Assert.Single(snapshot.Producers);
        Assert.Equal(("node/producer-0", 7L, 70L, true), (producer.Id, producer.HighestAccepted, producer.Accepted, producer.Announced));
        Assert.Equal((long.MinValue, 0), (producer.PartialSequenceNr, producer.PartialAdmitted));
    }

    [Fact]
    public void Should_read_a_registration_and_its_event_from_a_node_of_the_version_before_node_names()
    {
        // The producer id alone, as nodes and journals of the previous release wrote them.
        var register = Assert.IsType<RegisterProducer>(Serializer.FromBinary([.. LeString("p-0")], Serializer.Manifest(new RegisterProducer("p-0"))));
        var announced = Assert.IsType<ProducerAnnounced>(
            Serializer.FromBinary([QueueMessageSerializer.FormatVersion, .. LeString("p-0")], Serializer.Manifest(new ProducerAnnounced("p-0"))));

        Assert.Equal(new RegisterProducer("p-0", string.Empty, 0), register);
        Assert.Equal(new ProducerAnnounced("p-0", string.Empty, 0), announced);
    }

    [Fact]
    public void Should_refuse_a_negative_producer_count_for_a_node()
    {
        var manifest = Serializer.Manifest(new RegisterProducer("p-0"));
        var ex = Assert.Throws<SerializationException>(() => Serializer.FromBinary([.. LeString("p-0"), .. LeString("n"), .. Le32(-1)], manifest));
        Assert.Contains("RegisterProducer.NodeProducers", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_reject_journal_data_of_an_unknown_format_version()
    {
        var journal = Samples.Values.OfType<IQueueEvent>().ToList();
        Assert.Equal(16, journal.Select(Serializer.Manifest).Distinct(StringComparer.Ordinal).Count());

        foreach (var sample in journal)
        {
            var manifest = Serializer.Manifest(sample);
            var valid = Serializer.ToBinary(sample);
            var newest = sample is CoordinatorSnapshot ? QueueMessageSerializer.SnapshotFormatVersion : QueueMessageSerializer.FormatVersion;
            foreach (var version in new byte[] { 0, (byte)(newest + 1), 255 })
            {
                var ex = AssertRejected(manifest, [version, .. valid[1..]]);

                Assert.Contains($"format version {version}", ex.Message, StringComparison.Ordinal);
                Assert.Contains(newest == 1 ? "reads only version 1" : $"reads versions 1 to {newest}", ex.Message, StringComparison.Ordinal);
                Assert.Equal(version > newest, ex.Message.Contains("newer code", StringComparison.Ordinal));
            }

            Assert.Contains("format version", AssertRejected(manifest, []).Message, StringComparison.Ordinal);
        }
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
        Assert.Contains("ItemDeadLettered.Error", Assert.Throws<SerializationException>(() => Serializer.ToBinary(new ItemDeadLettered(1, 1, 1, tooLong))).Message, StringComparison.Ordinal);
        Assert.Contains("payload", Assert.Throws<SerializationException>(() => Serializer.ToBinary(new ItemsAccepted("p", 1, 1, [tooBig], true))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_refuse_to_write_a_list_over_its_limit_before_reading_an_entry()
    {
        string Refusal(object message) => Assert.Throws<SerializationException>(() => Serializer.ToBinary(message)).Message;
        const int overMessageLimit = QueueMessageSerializer.MaxListCount + 1;
        const int overStateLimit = QueueMessageSerializer.MaxStateListCount + 1;

        Assert.Contains("TaskDone.DeliveryIds", Refusal(new TaskDone(new CountOnlyList<long>(overMessageLimit))), StringComparison.Ordinal);
        Assert.Contains("ItemsCompleted.ItemIds", Refusal(new ItemsCompleted(new CountOnlyList<long>(overMessageLimit))), StringComparison.Ordinal);
        Assert.Contains("ItemsAccepted.Items", Refusal(new ItemsAccepted("p", 1, 1, new CountOnlyList<QueueItem>(overMessageLimit), true)), StringComparison.Ordinal);
        Assert.Contains("DeadLetters.Items", Refusal(new DeadLetters(new CountOnlyList<DeadLetteredItem>(overMessageLimit))), StringComparison.Ordinal);
        Assert.Contains("DeadLettersRequeued.ItemIds", Refusal(new DeadLettersRequeued(new CountOnlyList<long>(overStateLimit))), StringComparison.Ordinal);

        var empty = (CoordinatorSnapshot)Samples["CoordinatorSnapshot of nothing"];
        Assert.Contains("CoordinatorSnapshot.Items", Refusal(empty with { Items = new CountOnlyList<SnapshotItem>(overStateLimit) }), StringComparison.Ordinal);
        Assert.Contains("CoordinatorSnapshot.Producers", Refusal(empty with { Producers = new CountOnlyList<SnapshotProducer>(overMessageLimit) }), StringComparison.Ordinal);
        Assert.Contains("CoordinatorSnapshot.DeadLetters", Refusal(empty with { DeadLetters = new CountOnlyList<DeadLetteredItem>(overStateLimit) }), StringComparison.Ordinal);
    }

    [Fact]
    public void Should_round_trip_state_lists_longer_than_a_message_may_carry()
    {
        const int count = QueueMessageSerializer.MaxListCount + 1;
        var item = Item("01", PutAt);
        var items = new SnapshotItem[count];
        for (var i = 0; i < count; i++)
        {
            items[i] = new SnapshotItem(i + 1, item, i == count - 1 ? [7, 8] : []);
        }

        var empty = (CoordinatorSnapshot)Samples["CoordinatorSnapshot of nothing"];
        var snapshot = (CoordinatorSnapshot)RoundTrip(empty with { Items = items, DeadLetters = [new(1, 2, item, 3, "e")] });
        var requeued = (DeadLettersRequeued)RoundTrip(new DeadLettersRequeued([.. Enumerable.Range(1, count).Select(i => (long)i)]));

        Assert.Equal(count, snapshot.Items.Count);
        AssertEquivalent(items[0], snapshot.Items[0]);
        AssertEquivalent(items[^1], snapshot.Items[^1]);
        Assert.Equal(count, requeued.ItemIds.Count);
        Assert.Equal((1L, (long)count), (requeued.ItemIds[0], requeued.ItemIds[^1]));
    }

    [Fact]
    public void Should_refuse_objects_that_are_not_queue_messages_or_events_with_an_argument_exception()
    {
        Assert.Throws<ArgumentException>(() => Serializer.Manifest("not a queue message"));
        Assert.Throws<ArgumentException>(() => Serializer.ToBinary(new object()));

        // Parts of a snapshot are written inside it, never on their own.
        Assert.Throws<ArgumentException>(() => Serializer.Manifest(new SnapshotItem(1, Item("01", PutAt), [])));
        Assert.Throws<ArgumentException>(() => Serializer.ToBinary(new SnapshotProducer("p", 1, 1, true, false, false)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("X")]
    [InlineData("p")] // manifests are case-sensitive
    [InlineData("ActorPipeline.Coordinator.QueueProtocol+Put, ActorPipeline.Coordinator")] // no type names, ever
    [InlineData("E")] // an event manifest this code does not know, behind a valid format version
    [InlineData("EXX")]
    [InlineData("eia")]
    [InlineData("s")]
    [InlineData("SS")]
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

            // Cut exactly where the version before node names ended, it is that older message, and read as one.
            var olderForm = message switch
            {
                RegisterProducer r => LeString(r.ProducerId).Length,
                ProducerRegistered r => LeString(r.ProducerId).Length + sizeof(long),
                ProducerAnnounced a => 1 + LeString(a.ProducerId).Length,
                _ => -1,
            };
            for (var length = 0; length < bytes.Length; length++)
            {
                if (length == olderForm)
                {
                    Assert.IsType(message.GetType(), Serializer.FromBinary(bytes[..length], manifest));
                    continue;
                }

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
    [InlineData("RDL", QueueMessageSerializer.MaxListCount + 1)]
    [InlineData("EIA", int.MaxValue)]
    [InlineData("EIA", QueueMessageSerializer.MaxListCount + 1)]
    [InlineData("EID", -1)]
    [InlineData("EIC", QueueMessageSerializer.MaxListCount + 1)] // a message's limit: completions come from one task_done
    [InlineData("EDR", QueueMessageSerializer.MaxStateListCount)] // at the state limit: only the bytes left stop a 400 MB array
    [InlineData("EDR", QueueMessageSerializer.MaxStateListCount + 1)]
    [InlineData("EG", int.MaxValue)]
    [InlineData("EG", QueueMessageSerializer.MaxListCount)] // at the limit: only the bytes left stop a million-entry array
    [InlineData("S items", QueueMessageSerializer.MaxStateListCount)] // a forged snapshot may not allocate 50 million entries
    [InlineData("S items", QueueMessageSerializer.MaxStateListCount + 1)]
    [InlineData("S items", int.MinValue)]
    [InlineData("S items' delivery ids", QueueMessageSerializer.MaxListCount + 1)]
    [InlineData("S items' delivery ids", QueueMessageSerializer.MaxListCount)]
    [InlineData("S producers", QueueMessageSerializer.MaxListCount + 1)]
    [InlineData("S producers", 10)]
    [InlineData("S dead letters", QueueMessageSerializer.MaxStateListCount)]
    [InlineData("S dead letters", int.MaxValue)]
    public void Should_reject_an_absurd_count_without_allocating_for_it(string list, int count)
    {
        // What comes before the count: the manifest, optionally followed by which of its lists.
        var manifest = list.Split(' ')[0];
        byte[] before = list switch
        {
            "P" => [.. LeString("p"), .. Le64(1)],
            "EIA" => [QueueMessageSerializer.FormatVersion, .. LeString("p"), .. Le64(1), .. Le64(1)],
            "EID" => [QueueMessageSerializer.FormatVersion, .. Le64(1)],
            "EIC" or "EDR" or "EG" => [QueueMessageSerializer.FormatVersion],
            "S items" => SnapshotHeader,
            "S items' delivery ids" => [.. SnapshotHeader, .. Le32(1), .. Le64(1), .. Le32(0), .. Le64(0)],
            "S producers" => [.. SnapshotHeader, .. Le32(0)],
            "S dead letters" => [.. SnapshotHeader, .. Le32(0), .. Le32(0)],
            _ => [],
        };
        byte[] bytes = [.. before, .. Le32(count), .. new byte[64]];

        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var ex = AssertRejected(manifest, bytes);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

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

        Assert.Contains("negative length", AssertRejected("EPA", [QueueMessageSerializer.FormatVersion, .. Le32(-1)]).Message, StringComparison.Ordinal);
        Assert.Contains(
            "over the limit",
            AssertRejected("EDL", [QueueMessageSerializer.FormatVersion, .. Le64(1), .. Le64(1), .. Le32(1), .. Le32(overlongString.Length), .. overlongString]).Message,
            StringComparison.Ordinal);
        Assert.Contains(
            "truncated",
            AssertRejected("S", [.. SnapshotHeader, .. Le32(0), .. Le32(1), .. Le32(30), .. new byte[29]]).Message, // a producer id cut short
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PR", 13, 4)] // PutRejected.Reason, after "p" and the sequence number
    [InlineData("PR", 13, 255)]
    [InlineData("P", -1, 2)] // Put.Wait, the last byte
    [InlineData("G", 4, 2)] // Get.Wait
    [InlineData("SD", 0, 255)] // Shutdown.Immediate
    [InlineData("QS", 12, 2)] // QueueStatus.IsShutDown, after three ints
    [InlineData("RC", 12, 3)] // the same, nested in RunCompleted
    [InlineData("EIA", -1, 2)] // ItemsAccepted.PutComplete, the last byte
    [InlineData("ESR", 1, 255)] // ShutdownRequested.Immediate, after the format version
    [InlineData("S", 9, 2)] // CoordinatorSnapshot.RunFinished, after the format version and the run number
    [InlineData("S", 75, 2)] // CoordinatorSnapshot.ShutDownImmediately
    public void Should_reject_an_enum_or_bool_byte_out_of_range(string manifest, int offset, byte value)
    {
        var bytes = Serializer.ToBinary(Samples.Values.First(m => Serializer.Manifest(m) == manifest));
        var at = offset < 0 ? bytes.Length + offset : offset;
        Assert.InRange(bytes[at], 0, 1); // the spec's offsets must point at a bool or enum byte
        bytes[at] = value;

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

        byte[] AcceptedWithTicks(long ticks) => [QueueMessageSerializer.FormatVersion, .. LeString("p"), .. Le64(1), .. Le64(1), .. Le32(1), .. Le32(0), .. Le64(ticks), 1];
        Assert.Contains("ticks", AssertRejected("EIA", AcceptedWithTicks(-1)).Message, StringComparison.Ordinal);
        Assert.Contains("UTF-8", AssertRejected("EPL", [QueueMessageSerializer.FormatVersion, .. Le32(1), 0xFF]).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_reject_a_protocol_message_over_the_message_limit_before_reading_it()
    {
        var ex = AssertRejected("RP", new byte[QueueMessageSerializer.MaxMessageBytes + 1]);

        Assert.Contains("oversized", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Seeded fuzzing: random bytes under known and unknown manifests, and valid encodings with bytes
    /// flipped, lengths forged, cut or extended. Every input either reads as a message of its manifest's
    /// type (which then re-encodes to a stable form) or is refused with a SerializationException naming
    /// the manifest; nothing else escapes, nothing hangs (the timeout), and afterwards every sample still
    /// round-trips, so garbage leaves the serializer as it was.
    /// </summary>
    [Theory(Timeout = 120_000)]
    [InlineData(1234)]
    [InlineData(7)]
    [InlineData(20261127)]
    [InlineData(424242)]
    public void Should_only_ever_return_a_message_of_the_manifests_type_or_throw_a_serialization_exception_on_garbage(int seed)
    {
        var random = new Random(seed);
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

            // Whatever was read is a message like any other: it encodes, and that encoding reads back the same.
            var again = Serializer.ToBinary(result);
            Assert.Equal(again, Serializer.ToBinary(Serializer.FromBinary(again, manifest)));
            read++;
        }

        // Random bytes against every manifest: short ones, so that small messages sometimes parse. A
        // journal manifest's usually get a valid format version, so that its fields are reached too.
        foreach (var manifest in manifests)
        {
            for (var i = 0; i < 200; i++)
            {
                var bytes = new byte[random.Next(0, 48)];
                random.NextBytes(bytes);
                if (bytes.Length > 0 && (manifest.StartsWith('E') || manifest == "S") && random.Next(4) > 0)
                {
                    bytes[0] = QueueMessageSerializer.FormatVersion;
                }

                Attempt(manifest, bytes, $"random #{i}");
            }
        }

        // Manifests nobody defined: random printable strings, and known ones with a character changed.
        for (var i = 0; i < 1_000; i++)
        {
            var manifest = random.Next(2) == 0
                ? new string([.. Enumerable.Range(0, random.Next(0, 6)).Select(_ => (char)random.Next(32, 127))])
                : Mutated(manifests[random.Next(manifests.Length)]);
            if (!manifests.Contains(manifest, StringComparer.Ordinal))
            {
                Assert.Throws<SerializationException>(() => Serializer.FromBinary(valid[random.Next(valid.Length)].Bytes, manifest));
            }
        }

        // Valid messages with a few bytes flipped or a forged length, sometimes cut or extended, read as their own and as another manifest.
        for (var i = 0; i < 25_000; i++)
        {
            var (manifest, original) = valid[random.Next(valid.Length)];
            var bytes = original.ToArray();
            for (var flips = random.Next(1, 4); flips > 0 && bytes.Length > 0; flips--)
            {
                bytes[random.Next(bytes.Length)] ^= (byte)random.Next(1, 256);
            }

            if (bytes.Length >= sizeof(int) && random.Next(4) == 0)
            {
                // An absurd or negative length or count wherever one might be.
                int[] forged = [int.MaxValue, int.MinValue, -1, QueueMessageSerializer.MaxListCount + 1, QueueMessageSerializer.MaxPayloadBytes + 1];
                BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(random.Next(bytes.Length - sizeof(int) + 1)), forged[random.Next(forged.Length)]);
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

        Assert.True(read > 100 && rejected > 10_000, $"read {read}, rejected {rejected}: the inputs do not exercise both outcomes");
        foreach (var (name, message) in Samples)
        {
            AssertEquivalent(message, RoundTrip(message), name);
        }

        string Mutated(string manifest)
        {
            var chars = manifest.ToCharArray();
            chars[random.Next(chars.Length)] = (char)random.Next(32, 127);
            return new string(chars);
        }
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

    /// <summary>
    /// Field by field, through nested records and lists, so a field added to a type is compared without
    /// touching this spec: values by equality, put times as UTC ticks, payloads byte by byte, and the
    /// field-less singletons by identity.
    /// </summary>
    private static void AssertEquivalent(object? expected, object? actual, string path = "message")
    {
        if (expected is null)
        {
            Assert.True(actual is null, $"{path}: {actual} is not null");
            return;
        }

        Assert.True(actual is not null, $"{path}: null is not {expected}");
        switch (expected)
        {
            case string or bool or byte or int or long or Enum:
                Assert.True(expected.Equals(actual), $"{path}: {actual} is not {expected}");
                return;
            case DateTime e:
                var time = Assert.IsType<DateTime>(actual);
                Assert.True((e.Ticks, DateTimeKind.Utc) == (time.Ticks, time.Kind), $"{path}: {time.Ticks} ({time.Kind}) is not {e.Ticks} (Utc)");
                return;
            case QueueItem e:
                var item = Assert.IsType<QueueItem>(actual);
                Assert.True(e.Payload.Span.SequenceEqual(item.Payload.Span), $"{path}: {item.Hex} is not {e.Hex}");
                AssertEquivalent(e.PutAt, item.PutAt, $"{path}.PutAt");
                return;
            case IEnumerable e:
                // The sample's list type (a collection expression's) need not be the one read back.
                var expectedEntries = e.Cast<object?>().ToList();
                var actualEntries = Assert.IsAssignableFrom<IEnumerable>(actual).Cast<object?>().ToList();
                Assert.True(expectedEntries.Count == actualEntries.Count, $"{path}: {actualEntries.Count} entries, not {expectedEntries.Count}");
                for (var i = 0; i < expectedEntries.Count; i++)
                {
                    AssertEquivalent(expectedEntries[i], actualEntries[i], $"{path}[{i}]");
                }

                return;
        }

        var type = expected.GetType();
        Assert.Equal(type, actual.GetType());
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance);
        if (properties.Length == 0)
        {
            Assert.Same(expected, actual);
            return;
        }

        foreach (var property in properties)
        {
            AssertEquivalent(property.GetValue(expected), property.GetValue(actual), $"{path}.{property.Name}");
        }
    }

    private object RoundTrip(object message) => Serializer.FromBinary(Serializer.ToBinary(message), Serializer.Manifest(message));

    private SerializationException AssertRejected(string manifest, byte[] bytes, string? because = null)
    {
        var ex = Assert.Throws<SerializationException>(() => Serializer.FromBinary(bytes, manifest));
        Assert.True(ex.Message.Contains($"'{manifest}'", StringComparison.Ordinal), $"{because}: the message does not name the manifest: {ex.Message}");
        return ex;
    }
}
