using System.Buffers.Binary;
using System.Collections;
using System.Reflection;
using System.Runtime.Serialization;
using System.Text;
using ActorPipeline.Coordinator;
using ActorPipeline.Coordinator.Serialization;
using ActorPipeline.Tests.Fakes;
using Akka.Hosting;
using Google.Protobuf;
using static ActorPipeline.Coordinator.Persistence.QueueEvents;
using static ActorPipeline.Coordinator.Protocol.JobProtocol;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;
using W = ActorPipeline.Coordinator.Wire;

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
        Consumers: 12, ExpectedProducers: 13, ProducersRegistered: 14, ProducersDone: 15, ProducersLost: int.MaxValue,
        Discarded: 16, EndedByOperator: true, IsRunComplete: true);

    private static readonly JobStatus JobSample = new(
        "j0123456789abcdef", "nightly reindex ✓", JobPhase.Settled, 7, long.MaxValue, 5, 2, 1, int.MaxValue, 3,
        PutAt, PutAt.AddTicks(1), DateTime.MaxValue, [new("j0123456789abcdef/k1", 4), new("j0123456789abcdef/c-1", 0)],
        [new(11, 1, Item("0bad", PutAt), 3, "first ✗", "j0123456789abcdef")]);

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
        ["Put into a job"] = new Put("j0123456789abcdef/nightly-1", 3, [Item("7f80", PutAt)], Job: "j0123456789abcdef"),
        ["PutRejected for a closed job"] = new PutRejected("j1/c", 2, PutRejection.JobClosed, 1),
        ["PutRejected for no such job"] = new PutRejected("j1/c", 1, PutRejection.NoSuchJob, 0),
        ["OpenJob"] = new OpenJob("j0123456789abcdef", "nightly reindex ✓", 100),
        ["CloseJob"] = new CloseJob("j1"),
        ["CancelJob"] = new CancelJob("j1", "the operator's page (from 127.0.0.1)"),
        ["JoinJob"] = new JoinJob("run"),
        ["GetJob"] = new GetJob("j-._1"),
        ["GetJobs"] = GetJobs.Instance,
        ["JobStatus settled"] = JobSample,
        ["JobStatus open"] = new JobStatus("j2", "n", JobPhase.Open, 1, 0, 0, 0, 0, 0, 0, DateTime.MinValue, null, null, [], []),
        ["JobList"] = new JobList([JobSample with { DeadLetters = [] }, JobSample with { JobId = "run", Phase = JobPhase.Closed }]),
        ["JobUnknown"] = new JobUnknown("j404"),
        ["JobRefused"] = new JobRefused("bad id!", "a job id has only letters, digits, '_', '-' and '.'"),
        ["PutAccepted"] = new PutAccepted("producer-1", 42, 3),
        ["PutRejected for full"] = new PutRejected("p", -5, PutRejection.Full, 0),
        ["PutRejected for shut down"] = new PutRejected("p", 9, PutRejection.ShutDown, int.MaxValue),
        ["PutRejected for a run that is over"] = new PutRejected("node-a/producer-0", 12, PutRejection.RunOver, 0),
        ["PutRejected for a run an operator ended"] = new PutRejected("node-a/producer-0", 13, PutRejection.RunEnded, 2),
        ["RegisterProducer"] = new RegisterProducer("node-a/producer-3", "node-a", 5),
        ["RegisterProducer with no node"] = new RegisterProducer("producer-0"),
        ["ProducerRegistered"] = new ProducerRegistered("node-a/producer-3", long.MaxValue, 12_345),
        ["ProducerRegistered by the version before batched puts"] = new ProducerRegistered("p", 3),
        ["ProducerRegistered of a new producer"] = new ProducerRegistered("", 0),
        ["ProducerDone"] = new ProducerDone("node-a/producer-3", long.MinValue),
        ["ProducerDoneAck"] = new ProducerDoneAck("node-a/producer-3"),
        ["ProducerStopped"] = new ProducerStopped("node-a/producer-3", 42),
        ["WithdrawPut"] = new WithdrawPut("node-a/producer-3", 43),
        ["PutRejected withdrawn"] = new PutRejected("node-a/producer-3", 43, PutRejection.Withdrawn, 7),
        ["Get"] = new Get(1),
        ["Get without waiting"] = new Get(int.MaxValue, Wait: false),
        ["RequestWork"] = new RequestWork(100),
        ["RequestWork of nothing"] = new RequestWork(0),
        ["RequestWork with progress"] = new RequestWork(8, [(1L << 40) + 3, long.MaxValue, -1], (1L << 40) + 9),
        ["DeliveredUpTo"] = new DeliveredUpTo((3L << 40) + 17),
        ["Delivery of a batch"] = new Delivery([
            new(1, Item("01", PutAt), ItemId: 42, DeliveryCount: 3),
            new(long.MaxValue, Item("", PutAt), ItemId: long.MaxValue, DeliveryCount: int.MaxValue),
            new(-7, Item("ff00ff", DateTime.MinValue), ItemId: 1, DeliveryCount: 1)]),
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
        ["GetOverview"] = GetOverview.Instance,
        ["QueueOverview"] = new QueueOverview(
            Status,
            [
                new("akka.tcp://actor-pipeline@10.0.0.5:4053/user/consumers/consumer-0", 64, long.MaxValue, Connected: true),
                new("akka://actor-pipeline/user/consumers/Verbraucher-ü 🚀", 0, 0, Connected: false),
            ],
            [
                new("node-a/producer-0", "node-a", ProducerPhase.Active, 12),
                new("node-a/producer-1", "node-a", ProducerPhase.Done, long.MaxValue),
                new("node-b/producer-0", "", ProducerPhase.Lost, 0),
                new("p", "", ProducerPhase.Unregistered, -1),
                new("node-c/producer-0", "node-c", ProducerPhase.Stopped, 7),
            ],
            new LatencySummary(4096, TimeSpan.FromMinutes(1), 0.000_05, 0.25, 1.5, double.MaxValue),
            [new(long.MaxValue, 3, "System.Exception: boom 💥…", new byte[] { 0x0b, 0xad }, 65_536), new(1, int.MaxValue, "", ReadOnlyMemory<byte>.Empty, 0)]),
        ["QueueOverview of nothing"] = new QueueOverview(Status, [], [], LatencySummary.None(TimeSpan.Zero), []),
        ["GetDeadLetters"] = GetDeadLetters.Instance,
        ["DeadLetters"] = new DeadLetters([new(11, 1, Item("0bad", PutAt), 3, "first ✗"), new(long.MaxValue, 2, Item("", DateTime.MaxValue), int.MaxValue, "")]),
        ["DeadLetters of nothing"] = new DeadLetters([]),
        ["RequeueDeadLetters"] = new RequeueDeadLetters([11, long.MaxValue, -3]),
        ["RequeueDeadLetters of every one"] = new RequeueDeadLetters([]),
        ["DeadLettersRequeuedAck"] = new DeadLettersRequeuedAck(int.MaxValue),
        ["DiscardDeadLetters"] = new DiscardDeadLetters([11, long.MaxValue, -3]),
        ["DiscardDeadLetters of every one"] = new DiscardDeadLetters([]),
        ["DeadLettersDiscardedAck"] = new DeadLettersDiscardedAck(int.MaxValue),
        ["EndRun"] = new EndRun("the operator's page (from ::1) ✓"),
        ["RunEndAck"] = new RunEndAck(3, int.MaxValue, AlreadyOver: false),
        ["RunEndAck of a run already over"] = new RunEndAck(0, 0, AlreadyOver: true),
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
        ["DeadLettersDiscarded"] = new DeadLettersDiscarded([101, long.MaxValue, -1]),
        ["DeadLettersDiscarded of nothing"] = new DeadLettersDiscarded([]),
        ["RunEndedByOperator"] = new RunEndedByOperator("the run end command (ops@host-ü)"),
        ["RunEndedByOperator of nobody said"] = new RunEndedByOperator(""),
        ["ProducerAnnounced"] = new ProducerAnnounced("node-a/producer-3", "node-a", int.MaxValue),
        ["ProducerCompleted"] = new ProducerCompleted("生产者"),
        ["ProducerLost"] = new ProducerLost(""),
        ["ProducerSuspended"] = new ProducerSuspended("node-a/producer-0"),
        ["ShutdownRequested graceful"] = new ShutdownRequested(Immediate: false),
        ["ShutdownRequested immediate"] = new ShutdownRequested(Immediate: true),
        ["IncarnationStarted"] = new IncarnationStarted(long.MaxValue),
        ["RunFinished"] = new RunFinished(-1),
        ["RunStarted"] = new RunStarted(2),
        ["ItemsAccepted into a job"] = new ItemsAccepted("j1/k", 1, 7, [Item("01", PutAt)], PutComplete: true, Job: "j1"),
        ["JobOpened"] = new JobOpened("j1", "nightly ✓", 3, PutAt),
        ["JobClosed"] = new JobClosed("j1", DateTime.MaxValue),
        ["JobCancelled"] = new JobCancelled("j1", "HTTP from 10.0.0.7", PutAt),
        ["JobSettled"] = new JobSettled("j1", PutAt.AddTicks(1)),
        ["JobsForgotten"] = new JobsForgotten(["j1", "j2"]),
        ["EventGroup of several commands' events"] = new EventGroup([
            new ItemsAccepted("producer-1", 7, 101, [Item("01ff", PutAt), Item("", DateTime.MinValue)], PutComplete: true),
            new ProducerAnnounced("node-a/producer-3", "node-a", 2), // its trailing fields are read in full inside a group
            new ItemsDelivered(5, [101, 102]),
            new ItemsCompleted([101]),
            new ProducerAnnounced("node-b/producer-0", "node-b", int.MaxValue),
            new DeadLettersDiscarded([102]),
            new RunEndedByOperator("the operator's page (from 127.0.0.1)"),
        ]),
        ["EventGroup of nothing"] = new EventGroup([]),
        ["CoordinatorSnapshot"] = new CoordinatorSnapshot(
            new QueueTotals
            {
                RunNumber = 3,
                RunFinished = true,
                Incarnation = long.MaxValue,
                LastItemId = 4_000_000_004,
                LastDeliveryId = long.MinValue,
                Accepted = 5,
                Completed = 6,
                Dropped = -7,
                Redelivered = 8,
                DuplicateAcks = long.MaxValue,
                Mode = QueueMode.ShutDownImmediately,
                Discarded = long.MaxValue,
                EndedByOperator = true,
            },
            Items: [new(101, Item("01", PutAt), [5, 9, long.MaxValue], CurrentDelivery: long.MaxValue, Deliveries: 12), new(102, Item("", DateTime.MinValue), []), new(-1, Item("ff00ff", DateTime.MaxValue), [0], Deliveries: int.MaxValue)],
            Producers: [new("node-a/producer-1", long.MinValue, 0, Announced: true, ProducerPhase.Lost), new("", long.MaxValue, -1, Announced: false, ProducerPhase.Done, PartialSequenceNr: 12, PartialAdmitted: 3, Node: "node-ä", NodeProducers: 4), new("node-c/producer-0", 7, 70, Announced: true, ProducerPhase.Stopped)],
            DeadLetters: [new(11, 1, Item("0bad", PutAt), 3, "first ✗"), new(long.MinValue, 0, Item("", DateTime.MaxValue), 0, "", Job: "j1")],
            Jobs: [new("run", "run", 1, JobPhase.Open, PutAt, null, null, 5, 6, 0, 1, 2, [new("node-a/producer-1", 5)]),
                   new("j1", "nightly ✓", 100, JobPhase.Settled, PutAt, PutAt.AddTicks(1), DateTime.MaxValue, long.MaxValue, 1, 1, 0, 0, [])]),
        ["CoordinatorSnapshot with items of a job"] = new CoordinatorSnapshot(
            default,
            Items: [new(1, Item("01", PutAt), [], Job: "j1")],
            Producers: [new("j1/c", 1, 1, Announced: false, ProducerPhase.Unregistered, Job: "j1"), new("node-a/producer-0", 1, 1, Announced: true, ProducerPhase.Active, Job: "run")],
            DeadLetters: [],
            Jobs: [new("j1", "n", 1, JobPhase.Open, PutAt, null, null, 1, 0, 0, 0, 0, [new("j1/c", 1)])]),
        ["CoordinatorSnapshot of nothing"] = new CoordinatorSnapshot(default, [], [], [], []),
    };

    public static TheoryData<string> SampleNames => new(Samples.Keys);

    /// <summary>The serializer the actor system chose for the protocol, which these specs also call directly.</summary>
    private QueueMessageSerializer Serializer => Assert.IsType<QueueMessageSerializer>(Sys.Serialization.FindSerializerFor(GetStatus.Instance));

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider) => builder.WithQueueSerializer();

    [Fact]
    public void Should_have_a_sample_and_a_distinct_manifest_for_every_message_event_and_snapshot()
    {
        // Every concrete type the serializer is bound to, wherever it is declared.
        var concrete = typeof(IQueueMessage).Assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false }).ToList();
        var messageTypes = concrete.Where(typeof(IQueueMessage).IsAssignableFrom).ToHashSet();
        var journalTypes = concrete.Where(typeof(IQueueEvent).IsAssignableFrom).Append(typeof(CoordinatorSnapshot)).ToHashSet();
        var sampled = Samples.Values.Select(m => m.GetType()).ToHashSet();

        Assert.Equal(49, messageTypes.Count);
        Assert.Equal(24, journalTypes.Count);
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
        Assert.Equal(QueueMessageSerializer.Id, serializer.Identifier);

        var manifest = serializer.Manifest(message);
        var bytes = serializer.ToBinary(message);

        AssertEquivalent(message, serializer.FromBinary(bytes, manifest));
        AssertEquivalent(message, Sys.Serialization.Deserialize(bytes, serializer.Identifier, manifest));
    }

    [Fact]
    public void Should_write_singletons_as_empty_bodies_and_read_back_the_same_instance()
    {
        IQueueMessage[] singletons = [CancelGet.Instance, QueueEmpty.Instance, QueueShutDown.Instance, Join.Instance, Joined.Instance, JoinRun.Instance, GetStatus.Instance, GetOverview.Instance, GetDeadLetters.Instance];

        foreach (var singleton in singletons)
        {
            var bytes = Serializer.ToBinary(singleton);
            Assert.Empty(bytes);
            Assert.Same(singleton, Serializer.FromBinary([], Serializer.Manifest(singleton)));
        }
    }

    [Fact]
    public void Should_write_a_put_as_the_message_its_schema_documents()
    {
        var put = new Put("p", 2, [new QueueItem(new byte[] { 0xAB }, new DateTime(0x0102030405060708, DateTimeKind.Utc))], Wait: false);

        // Field 1 producer_id "p", field 2 sequence_nr 2, field 3 the item batch: packed fixed-width
        // lengths [1], the payloads AB, packed fixed-width put times; wait false is left out, as proto3 leaves out every zero.
        var bytes = Serializer.ToBinary(put);
        Assert.Equal("P", Serializer.Manifest(put));
        Assert.Equal("0A0170" + "1002" + "1A13" + "0A0401000000" + "1201AB" + "1A080807060504030201", Convert.ToHexString(bytes));

        // Any Protocol Buffers reader of the schema reads the same.
        var wire = W.Put.Parser.ParseFrom(bytes);
        Assert.Equal(("p", 2L, false), (wire.ProducerId, wire.SequenceNr, wire.Wait));
        Assert.Equal((1u, 0x0102030405060708L, "AB"), (wire.Items.PayloadLengths[0], wire.Items.PutAtTicks[0], Convert.ToHexString(wire.Items.Payloads.ToByteArray())));
    }

    [Fact]
    public void Should_write_an_event_group_with_each_event_in_its_own_case_of_the_schemas_oneof()
    {
        var bytes = Serializer.ToBinary(new EventGroup([new ItemsCompleted([9]), new RunFinished(3)]));

        var wire = W.EventGroup.Parser.ParseFrom(bytes);
        Assert.Equal([W.GroupedEvent.EventOneofCase.ItemsCompleted, W.GroupedEvent.EventOneofCase.RunFinished], wire.Events.Select(e => e.EventCase));
        Assert.Equal(9L, Assert.Single(wire.Events[0].ItemsCompleted.ItemIds));
        Assert.Equal(3L, wire.Events[1].RunFinished.RunNumber);
    }

    [Fact]
    public void Should_put_every_event_of_the_schemas_oneof_in_its_own_case_and_read_it_back()
    {
        // The format matches cases through the generated properties (reflection descriptors are slow to build on a
        // fresh node); the schema is still the list: a case added to the oneof and not to the format fails here.
        var cases = W.GroupedEvent.Descriptor.Oneofs.Single().Fields;
        Assert.NotEmpty(cases);
        foreach (var field in cases)
        {
            var message = (IMessage)Activator.CreateInstance(field.MessageType.ClrType)!;

            var entry = EventGroupFormat.Entry(message);

            Assert.True(entry is not null, $"no group case for {field.Name}");
            Assert.Equal(field.FieldNumber, (int)entry.EventCase);
            Assert.Same(message, EventGroupFormat.Event(entry));
        }

        Assert.Null(EventGroupFormat.Entry(new W.EventGroup())); // not an event a group holds
        Assert.Null(EventGroupFormat.Event(new W.GroupedEvent()));
    }

    [Fact]
    public void Should_refuse_a_group_entry_holding_no_event_this_code_knows()
    {
        // An entry whose only field is number 99 (a newer writer's event), and an entry with nothing set.
        byte[] newer = [.. Length(1, [.. Length(99, [.. Varint(8), .. Varint(1)])])];
        byte[] empty = [.. Length(1, [])];

        Assert.Contains("EventGroup.Events[0] holds no event this code knows", AssertRejected("EG", newer).Message, StringComparison.Ordinal);
        Assert.Contains("EventGroup.Events[0] holds no event this code knows", AssertRejected("EG", empty).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_skip_fields_it_does_not_know_and_read_missing_ones_as_zero()
    {
        // A newer writer's event: ItemsCompleted with a varint field 15 and a length-delimited field 16 added.
        var newer = new byte[][] { Serializer.ToBinary(new ItemsCompleted([101, 102])), [.. Varint(15 << 3), .. Varint(7)], [.. Length(16, [1, 2, 3])] }.SelectMany(b => b).ToArray();
        AssertEquivalent(new ItemsCompleted([101, 102]), Serializer.FromBinary(newer, "EIC"));

        // An older writer's registration, before node names: the fields it lacks read as empty and zero.
        var older = new W.ProducerRegistered { ProducerId = "p-0", LastAcceptedSequenceNr = 3 }.ToByteArray();
        Assert.Equal(new ProducerRegistered("p-0", 3, 0), Serializer.FromBinary(older, "RPA"));
    }

    [Fact]
    public void Should_refuse_data_in_the_format_before_protocol_buffers_saying_what_to_do()
    {
        // How the previous format stored an ItemsCompleted of item 9: format version 1, a count, the id.
        byte[] stored = [1, .. Le32(1), .. Le64(9)];

        var ex = Assert.Throws<SerializationException>(() => Sys.Serialization.Deserialize(stored, PreProtobufJournalSerializer.Id, "EIC"));

        Assert.Contains("'EIC'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("finish the run with the version that wrote the journal", ex.Message, StringComparison.Ordinal);
        Assert.Contains("actor-pipeline.db", ex.Message, StringComparison.Ordinal);
        Assert.IsType<QueueMessageSerializer>(Sys.Serialization.FindSerializerFor(new ItemsCompleted([9]))); // nothing is written in it
    }

    [Fact]
    public void Should_refuse_a_negative_producer_count_for_a_node()
    {
        var bytes = new W.RegisterProducer { ProducerId = "p-0", Node = "n", NodeProducers = -1 }.ToByteArray();

        Assert.Contains("RegisterProducer.NodeProducers", AssertRejected("RP", bytes).Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Protocol Buffers cannot tell bytes cut between two fields from a message without the later ones,
    /// so a cut is either refused or read as a message of the manifest's type, never as anything else.
    /// Whole messages are what reach the serializer: Akka's transport frames every message with its
    /// length, and a journal stores every entry whole.
    /// </summary>
    [Fact]
    public void Should_refuse_bytes_cut_inside_a_field_and_read_other_cuts_as_the_same_type()
    {
        var refused = 0;
        foreach (var (name, message) in Samples)
        {
            var manifest = Serializer.Manifest(message);
            var bytes = Serializer.ToBinary(message);
            for (var length = 0; length < bytes.Length; length++)
            {
                try
                {
                    Assert.IsType(message.GetType(), Serializer.FromBinary(bytes[..length], manifest));
                }
                catch (SerializationException ex)
                {
                    Assert.True(ex.Message.Contains($"'{manifest}'", StringComparison.Ordinal), $"{name} cut to {length}: {ex.Message}");
                    refused++;
                }
            }
        }

        // A cut through a payload is inside a field: the batch Put's 2,000-byte payload alone gives more.
        var put = Serializer.ToBinary(Samples["Put of a batch"]);
        Assert.Contains("truncated", AssertRejected("P", put[..(put.Length / 2)]).Message, StringComparison.Ordinal);
        Assert.True(refused > 1_000, $"only {refused} cuts were refused");
    }

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void Should_reject_a_trailing_zero_byte(string sample)
    {
        var message = Samples[sample];
        var manifest = Serializer.Manifest(message);

        var ex = AssertRejected(manifest, [.. Serializer.ToBinary(message), 0]);

        Assert.Contains("invalid tag", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("P producer id")]
    [InlineData("P payloads")]
    [InlineData("P payload lengths")]
    [InlineData("TD delivery ids")]
    [InlineData("S items")]
    [InlineData("EG events")]
    [InlineData("DL items")]
    public void Should_reject_a_forged_length_without_allocating_for_it(string forged)
    {
        // A length-delimited field claiming 2 GB with 64 bytes behind it, or a column of 1,000 lengths with no bytes to cover them.
        byte[] Claims(int field) => [.. Varint(((ulong)field << 3) | 2), .. Varint(int.MaxValue), .. new byte[64]];
        byte[] bytes = forged switch
        {
            "P producer id" => Claims(1),
            "P payloads" => [.. Varint((3 << 3) | 2), .. Varint(70), .. Claims(2)],
            "P payload lengths" => [.. Length(3, [.. Length(1, [.. Enumerable.Range(0, 1_000).SelectMany(_ => Le32(100))]), .. Length(3, new byte[8_000])])],
            "TD delivery ids" => Claims(1),
            "S items" => Claims(13),
            "EG events" => Claims(1),
            "DL items" => Claims(1),
            _ => throw new ArgumentOutOfRangeException(nameof(forged)),
        };
        var manifest = forged.Split(' ')[0];

        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var ex = AssertRejected(manifest, bytes);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        Assert.Matches("truncated|add up to more", ex.Message);
        Assert.True(allocated < 64 * 1024, $"rejecting the length allocated {allocated} bytes");
    }

    [Fact]
    public void Should_reject_strings_payloads_and_lists_over_their_limits()
    {
        var overlongString = new string('x', QueueMessageSerializer.MaxStringBytes + 1);
        var overlongPayload = new byte[QueueMessageSerializer.MaxPayloadBytes + 1];
        var ids = new W.TaskDone();
        ids.DeliveryIds.AddRange(Enumerable.Repeat(1L, QueueMessageSerializer.MaxListCount + 1));
        var items = new W.ItemsAccepted { Items = new W.ItemBatch { Payloads = ByteString.CopyFrom(overlongPayload), PayloadLengths = { (uint)overlongPayload.Length }, PutAtTicks = { 0 } } };

        Assert.Contains("RegisterProducer.ProducerId", AssertRejected("RP", new W.RegisterProducer { ProducerId = overlongString }.ToByteArray()).Message, StringComparison.Ordinal);
        Assert.Contains("over the limit", AssertRejected("TF", new W.TaskFailed { Error = overlongString }.ToByteArray()).Message, StringComparison.Ordinal);
        Assert.Contains("over the limit", AssertRejected("EIA", items.ToByteArray()).Message, StringComparison.Ordinal);
        Assert.Contains("TaskDone.DeliveryIds has 1000001 entries, over the limit", AssertRejected("TD", ids.ToByteArray()).Message, StringComparison.Ordinal);
        Assert.Contains("ItemsCompleted.ItemIds", AssertRejected("EIC", ids.ToByteArray()).Message, StringComparison.Ordinal); // the same field number
    }

    [Fact]
    public void Should_reject_item_columns_that_do_not_line_up()
    {
        W.ItemBatch Batch(uint[] lengths, int payloadBytes, int times) =>
            new() { PayloadLengths = { lengths }, Payloads = ByteString.CopyFrom(new byte[payloadBytes]), PutAtTicks = { Enumerable.Repeat(0L, times) } };
        byte[] PutOf(W.ItemBatch batch) => new W.Put { ProducerId = "p", Items = batch }.ToByteArray();

        Assert.Contains("2 payload lengths but 1 put times", AssertRejected("P", PutOf(Batch([1, 1], 2, 1))).Message, StringComparison.Ordinal);
        Assert.Contains("1 payload bytes that no item's length covers", AssertRejected("P", PutOf(Batch([1, 1], 3, 2))).Message, StringComparison.Ordinal);
        Assert.Contains("add up to more", AssertRejected("P", PutOf(Batch([1, 2], 2, 2))).Message, StringComparison.Ordinal);
        Assert.Contains("3 payload bytes but no items", AssertRejected("P", PutOf(Batch([], 3, 0))).Message, StringComparison.Ordinal);
        var delivery = new W.Delivery { DeliveryIds = { 1, 2 }, Items = Batch([1], 1, 1) };
        Assert.Contains("2 delivery ids but 1 items", AssertRejected("D", delivery.ToByteArray()).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 2)] // from a node of the version before item ids
    [InlineData(2, 0)]
    [InlineData(1, 2)]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    [InlineData(2, 3)]
    public void Should_reject_a_delivery_whose_item_ids_or_delivery_counts_do_not_match_its_items(int itemIds, int deliveryCounts)
    {
        var delivery = new W.Delivery
        {
            DeliveryIds = { 11, 12 },
            Items = new W.ItemBatch { PayloadLengths = { 1, 1 }, Payloads = ByteString.CopyFrom(0x01, 0x02), PutAtTicks = { 0, 0 } },
            ItemIds = { Enumerable.Range(1, itemIds).Select(i => (long)i) },
            DeliveryCounts = { Enumerable.Repeat(1, deliveryCounts) },
        };

        var ex = AssertRejected("D", delivery.ToByteArray());

        Assert.Contains($"Delivery has 2 items but {itemIds} item ids and {deliveryCounts} delivery counts", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)] // unspecified: never sent
    [InlineData(9)]
    [InlineData(-1)]
    public void Should_reject_a_put_rejection_that_is_not_defined(int value)
    {
        var bytes = new W.PutRejected { ProducerId = "p", Reason = (W.PutRejection)value }.ToByteArray();

        Assert.Contains($"enum value {value}, not a defined PutRejection", AssertRejected("PR", bytes).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_reject_put_times_outside_datetime_and_strings_that_are_not_utf8()
    {
        byte[] PutWithTicks(long ticks) => new W.Put { ProducerId = "p", Items = new W.ItemBatch { PayloadLengths = { 0 }, PutAtTicks = { ticks } } }.ToByteArray();

        Assert.Contains("ticks", AssertRejected("P", PutWithTicks(-1)).Message, StringComparison.Ordinal);
        Assert.Contains("ticks", AssertRejected("P", PutWithTicks(DateTime.MaxValue.Ticks + 1)).Message, StringComparison.Ordinal);
        Assert.Contains("ticks", AssertRejected("P", PutWithTicks(long.MinValue)).Message, StringComparison.Ordinal);
        Assert.Equal(DateTime.MaxValue, Assert.IsType<Put>(Serializer.FromBinary(PutWithTicks(DateTime.MaxValue.Ticks), "P")).Items[0].PutAt);
        var snapshotItem = new W.CoordinatorSnapshot { Items = { new W.SnapshotItem { Item = new W.Item { PutAtTicks = -5 } } } };
        Assert.Contains("ticks", AssertRejected("S", snapshotItem.ToByteArray()).Message, StringComparison.Ordinal);

        Assert.Contains("UTF-8", AssertRejected("RP", [.. Length(1, [0xFF])]).Message, StringComparison.Ordinal);
        Assert.Contains("UTF-8", AssertRejected("RP", [.. Length(1, [0xED, 0xA0, 0x80])]).Message, StringComparison.Ordinal); // an encoded lone surrogate
        Assert.Contains("UTF-8", AssertRejected("RP", [.. Length(1, [0xE7, 0x94])]).Message, StringComparison.Ordinal); // a cut multi-byte sequence
        Assert.Contains("UTF-8", AssertRejected("EPL", [.. Length(1, [0xFF])]).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_send_a_lone_surrogate_as_the_replacement_character()
    {
        var back = (TaskFailed)RoundTrip(new TaskFailed(1, 1, "half a pair: \uD83D, and a whole one: 🚀"));

        Assert.Equal("half a pair: \uFFFD, and a whole one: 🚀", back.Error);
    }

    // A snapshot in a group does not compile: a snapshot is no event. A group is one, so that one is refused here.
    [Fact]
    public void Should_refuse_to_write_a_group_inside_a_group()
    {
        Assert.Throws<ArgumentException>(() => Serializer.ToBinary(new EventGroup([new EventGroup([])])));
        Assert.Throws<ArgumentException>(() => Serializer.ToBinary(new EventGroup([new RunStarted(1), new EventGroup([new RunStarted(2)])])));
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
        Assert.Contains("PutRejection", Assert.Throws<SerializationException>(() => Serializer.ToBinary(new PutRejected("p", 1, (PutRejection)9, 0))).Message, StringComparison.Ordinal);
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
        Assert.Throws<ArgumentException>(() => Serializer.ToBinary(new SnapshotProducer("p", 1, 1, true, ProducerPhase.Active)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("X")]
    [InlineData("p")] // manifests are case-sensitive
    [InlineData("ActorPipeline.Coordinator.Protocol.QueueProtocol+Put, ActorPipeline.Coordinator")] // no type names, ever
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

        // Random bytes against every manifest: short ones, so that small messages sometimes parse.
        foreach (var manifest in manifests)
        {
            for (var i = 0; i < 200; i++)
            {
                var bytes = new byte[random.Next(0, 48)];
                random.NextBytes(bytes);

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
                // An absurd or negative length wherever one might be, as a varint (how Protocol Buffers
                // writes lengths) or as four raw bytes.
                int[] forged = [int.MaxValue, int.MinValue, -1, QueueMessageSerializer.MaxListCount + 1, QueueMessageSerializer.MaxPayloadBytes + 1];
                var value = forged[random.Next(forged.Length)];
                var at = random.Next(bytes.Length - sizeof(int) + 1);
                if (random.Next(2) == 0)
                {
                    var varint = Varint((ulong)(long)value);
                    bytes = [.. bytes[..at], .. varint, .. bytes[Math.Min(bytes.Length, at + varint.Length)..]];
                }
                else
                {
                    BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), value);
                }
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

    /// <summary>A Protocol Buffers varint.</summary>
    private static byte[] Varint(ulong value)
    {
        var bytes = new List<byte>();
        for (; value >= 0x80; value >>= 7)
        {
            bytes.Add((byte)(value | 0x80));
        }

        bytes.Add((byte)value);
        return [.. bytes];
    }

    /// <summary>A length-delimited Protocol Buffers field: its tag, its length, its bytes.</summary>
    private static byte[] Length(int field, byte[] body) => [.. Varint(((ulong)field << 3) | 2), .. Varint((ulong)body.Length), .. body];

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
            case string or bool or byte or int or long or double or TimeSpan or Enum:
                Assert.True(expected.Equals(actual), $"{path}: {actual} is not {expected}");
                return;
            case DateTime e:
                var time = Assert.IsType<DateTime>(actual);
                Assert.True((e.Ticks, DateTimeKind.Utc) == (time.Ticks, time.Kind), $"{path}: {time.Ticks} ({time.Kind}) is not {e.Ticks} (Utc)");
                return;
            case ReadOnlyMemory<byte> e:
                Assert.True(e.Span.SequenceEqual(Assert.IsType<ReadOnlyMemory<byte>>(actual).Span), $"{path}: the bytes differ");
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
