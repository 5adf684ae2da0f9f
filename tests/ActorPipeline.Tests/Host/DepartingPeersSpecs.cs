using Serilog.Events;
using Serilog.Parsing;

namespace ActorPipeline.Tests.Host;

/// <summary>Which of Akka.Remote's link-failure events the log filter drops: those of peers that said they were leaving, and only those.</summary>
public sealed class DepartingPeersSpecs
{
    private const string Left = "akka.tcp://actor-pipeline@127.0.0.1:35719";
    private const string Live = "akka.tcp://actor-pipeline@127.0.0.1:40001";
    private readonly DepartingPeers _peers = new();

    [Fact]
    public void Should_drop_the_failed_association_and_disassociated_events_of_a_peer_that_left()
    {
        _peers.Departing(Left);

        Assert.True(_peers.IsLeftPeerDisconnect(AssociationFailed(Left)));
        Assert.True(_peers.IsLeftPeerDisconnect(Disassociated(Left)));
    }

    [Fact]
    public void Should_keep_them_for_a_peer_that_has_not_said_it_is_leaving_and_for_one_that_came_back()
    {
        _peers.Departing(Left);
        Assert.False(_peers.IsLeftPeerDisconnect(AssociationFailed(Live)));
        Assert.False(_peers.IsLeftPeerDisconnect(Disassociated(Live)));

        _peers.Up(Left); // restarted at the same address: its link failing is a fault again
        Assert.False(_peers.IsLeftPeerDisconnect(AssociationFailed(Left)));
        Assert.False(_peers.IsLeftPeerDisconnect(Disassociated(Left)));
    }

    [Fact]
    public void Should_keep_every_other_event_even_about_a_peer_that_left()
    {
        _peers.Departing(Left);

        Assert.False(_peers.IsLeftPeerDisconnect(Event(
            LogEventLevel.Warning, "Tried to associate with unreachable remote address [{0}]. Address is now gated for {1} ms", ("0", Left))));
        Assert.False(_peers.IsLeftPeerDisconnect(Event(LogEventLevel.Information, "Disassociated", ("LogSource", WriterPath(Left)))));
    }

    private static LogEvent AssociationFailed(string peer) => Event(
        LogEventLevel.Warning, "Association with remote system {0} has failed; address is now gated for {1} ms. Reason is: [{2}]", ("0", peer), ("1", 5000), ("2", "Disassociated"));

    private static LogEvent Disassociated(string peer) => Event(LogEventLevel.Error, "Disassociated", ("LogSource", WriterPath(peer)));

    private static string WriterPath(string peer) =>
        $"akka://actor-pipeline/system/endpointManager/reliableEndpointWriter-{Uri.EscapeDataString(peer)}-2/endpointWriter";

    private static LogEvent Event(LogEventLevel level, string template, params (string Name, object Value)[] properties) => new(
        DateTimeOffset.UtcNow, level, null, new MessageTemplateParser().Parse(template),
        properties.Select(p => new LogEventProperty(p.Name, new ScalarValue(p.Value))));
}
