using System.Collections.Concurrent;
using Serilog.Events;

namespace ActorPipeline.Hosting.Clustering;

/// <summary>
/// Cluster members that have said they are leaving (Leaving, Exiting or Removed), as this node heard.
/// When such a node's process ends, Akka.Remote on the nodes still running reports the closed link
/// as a failed association (a warning, then the writer's <c>Disassociated</c> error), even though the
/// node left as it should. Those two events, for those peers only, are what
/// <see cref="IsLeftPeerDisconnect"/> picks out for the log filter; a link to a member that has not
/// said it is leaving still reports as before, because that one is a fault.
/// </summary>
internal sealed class DepartingPeers
{
    private const string AssociationFailed = "Association with remote system {0} has failed; address is now gated for {1} ms. Reason is: [{2}]";
    private const string Disassociated = "Disassociated";

    private readonly ConcurrentDictionary<string, string> _escaped = new(StringComparer.Ordinal);

    /// <summary>A member announced its leaving (or was removed): its address, as Akka prints it.</summary>
    public void Departing(string address) => _escaped.TryAdd(address, Uri.EscapeDataString(address));

    /// <summary>A member is up (again) at this address: a failure of its link is a fault again.</summary>
    public void Up(string address) => _escaped.TryRemove(address, out _);

    /// <summary>Whether the event is Akka's report of a departed peer's link closing.</summary>
    public bool IsLeftPeerDisconnect(LogEvent e)
    {
        // The level first: every log event passes here, and ConcurrentDictionary.IsEmpty takes its locks.
        if (e.Level < LogEventLevel.Warning || _escaped.IsEmpty)
        {
            return false;
        }

        var template = e.MessageTemplate.Text;
        if (template == AssociationFailed)
        {
            return e.Properties.TryGetValue("0", out var peer) && peer is ScalarValue { Value: var value } && _escaped.ContainsKey(value?.ToString() ?? string.Empty);
        }

        if (template == Disassociated && e.Properties.TryGetValue("LogSource", out var source) && source is ScalarValue { Value: { } logSource })
        {
            var path = logSource.ToString() ?? string.Empty;
            // The writer's path names its peer, escaped: .../reliableEndpointWriter-akka.tcp%3A%2F%2Factor-pipeline%40host%3Aport-N/endpointWriter
            return _escaped.Values.Any(escaped => path.Contains($"reliableEndpointWriter-{escaped}-", StringComparison.Ordinal));
        }

        return false;
    }
}
