using ActorPipeline.Coordinator;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Akka.Serialization;
using Google.Protobuf;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;
using W = ActorPipeline.Coordinator.Wire;

namespace ActorPipeline.Tests.Fuzz;

/// <summary>
/// Bad bytes over a real Akka.Remote link: a second actor system claims our serializer's id and sends
/// whatever bytes and manifests it likes. The receiving system must log each refusal and drop the
/// message, and the link must stay up, so the valid message sent right after still arrives.
/// </summary>
public sealed class WireRejectionSpecs(ITestOutputHelper output) : Akka.Hosting.TestKit.TestKit(output: output)
{
    private readonly ITestOutputHelper _output = output;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider) =>
        builder.WithRemoting(new RemoteOptions { HostName = "127.0.0.1", Port = 0 }).WithQueueSerializer();

    [Fact]
    public async Task Should_log_and_drop_malformed_messages_and_keep_the_link_up()
    {
        var logs = CreateTestProbe();
        Sys.EventStream.Subscribe(logs.Ref, typeof(LogEvent));
        var inbox = CreateTestProbe();
        var receiver = Sys.ActorOf(Props.Create(() => new Forwarder(inbox.Ref)), "inbox");
        var address = ((ExtendedActorSystem)Sys).Provider.DefaultAddress;

        using var sender = ActorSystem.Create("attacker", ConfigurationFactory.ParseString("""
            akka.actor.provider = remote
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
            akka.actor.serializers.forged = "ActorPipeline.Tests.Fuzz.WireRejectionSpecs+ForgingSerializer, ActorPipeline.Tests"
            akka.actor.serialization-bindings { "ActorPipeline.Tests.Fuzz.WireRejectionSpecs+Forged, ActorPipeline.Tests" = forged }
            """));
        var target = await sender.ActorSelection(new RootActorPath(address) / "user" / receiver.Path.Name).ResolveOne(TimeSpan.FromSeconds(10), Ct);
        var real = new QueueMessageSerializer((ExtendedActorSystem)sender);
        var valid = new PutAccepted("producer-1", 42, 1);

        target.Tell(new Forged("P", new W.Put { ProducerId = new string('x', QueueMessageSerializer.MaxStringBytes + 1) }.ToByteArray())); // a producer id over its limit
        target.Tell(new Forged("NOPE", [1, 2, 3])); // a manifest nobody defined
        target.Tell(new Forged("PA", real.ToBinary(valid)[..5])); // a truncated PutAccepted
        target.Tell(new Forged(real.Manifest(valid), real.ToBinary(valid)));

        Assert.Equal(valid, await inbox.ExpectMsgAsync<PutAccepted>(cancellationToken: Ct));
        await inbox.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300), Ct);
        var refusals = new List<string>();
        await logs.FishForMessageAsync<LogEvent>(
            e =>
            {
                if (e.ToString().Contains("Malformed queue data", StringComparison.Ordinal) || e.ToString().Contains("Unknown", StringComparison.Ordinal))
                {
                    refusals.Add(e.ToString());
                }

                return refusals.Count == 3;
            },
            cancellationToken: Ct);
        refusals.ForEach(_output.WriteLine);
        Assert.Contains(refusals, r => r.Contains("over the limit", StringComparison.Ordinal));
        Assert.Contains(refusals, r => r.Contains("'NOPE'", StringComparison.Ordinal));
        Assert.Contains(refusals, r => r.Contains("truncated", StringComparison.Ordinal));
    }

    /// <summary>Bytes and a manifest to put on the wire as they are, under the queue serializer's id.</summary>
    public sealed record Forged(string Manifest, byte[] Bytes);

    /// <summary>Claims <see cref="QueueMessageSerializer"/>'s identifier, so the receiver reads our bytes with it.</summary>
    public sealed class ForgingSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
    {
        public override int Identifier => new QueueMessageSerializer(system).Identifier;

        public override string Manifest(object o) => ((Forged)o).Manifest;

        public override byte[] ToBinary(object obj) => ((Forged)obj).Bytes;

        public override object FromBinary(byte[] bytes, string manifest) => throw new NotSupportedException("the attacker only sends");
    }

    private sealed class Forwarder : ReceiveActor
    {
        public Forwarder(IActorRef to) => ReceiveAny(to.Forward);
    }
}
