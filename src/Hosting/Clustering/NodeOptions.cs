using System.ComponentModel.DataAnnotations;
using System.Net;
using Akka.Actor;

namespace ActorPipeline.Hosting.Clustering;

/// <summary>This node's place in the cluster. Bound from <c>Cluster</c>.</summary>
internal sealed class NodeOptions : IValidatableObject
{
    public const string SectionName = "Cluster";

    /// <summary>The actor system's name; seed addresses must name it.</summary>
    public const string SystemName = "actor-pipeline";

    public static readonly IReadOnlyList<string> KnownRoles = [ClusterRoles.Coordinator, ClusterRoles.Producer, ClusterRoles.Consumer];

    /// <summary>Comma-separated roles of this node (a string, so one environment variable replaces it whole).</summary>
    /// <value>Default <c>coordinator,producer,consumer</c>: the embedded single node.</value>
    public string Roles { get; set; } = string.Join(',', KnownRoles);

    /// <summary>
    /// This node's name in the cluster, unique in it: its producers are <c>{name}/producer-{index}</c>, so
    /// a node restarted under the same name resumes its producers where they stopped, and the same
    /// settings and seed give the same items. Unset, on a node that runs producers: the host name in a
    /// container; with a fixed <see cref="Port"/>, host name and port; otherwise (the embedded node) an id
    /// made on first start and kept beside the journal (<see cref="NodeIdentity.FileName"/>), so a restart in
    /// the same folder is the same node. Unset on a node that runs no producers: a fresh id on every start
    /// (it has nothing to resume), with no file read or written.
    /// </summary>
    [RegularExpression("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$", ErrorMessage = "a node name is 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit.")]
    public string? NodeName { get; set; }

    /// <summary>How long a node with seeds tries to join the cluster before it exits 1 naming them; 0 tries forever.</summary>
    /// <value>Default 60 s.</value>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan JoinTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Address to bind Akka.Remote to.</summary>
    /// <value>Default 127.0.0.1 (the embedded node talks to nobody else); 0.0.0.0 in containers.</value>
    [Required]
    public string Hostname { get; set; } = "127.0.0.1";

    /// <summary>Port to bind; 0 picks a free one (fine for a node that is nobody's seed).</summary>
    /// <value>Default 0.</value>
    [Range(0, 65535)]
    public int Port { get; set; }

    /// <summary>Host name other nodes reach this one by. Unset: <see cref="Hostname"/>, or the machine's host name when binding to all interfaces.</summary>
    public string? PublicHostname { get; set; }

    /// <summary>
    /// Comma-separated seed addresses, e.g. <c>akka.tcp://actor-pipeline@coordinator:4053</c>
    /// (<c>akka.ssl.tcp://</c> with TLS). Unset: the node forms a cluster of its own.
    /// </summary>
    public string SeedNodes { get; set; } = "";

    /// <summary>
    /// Members that must have joined before any becomes Up; until then the coordinator does not start,
    /// so a batch run waits for its nodes to assemble instead of finishing before a late one arrives.
    /// </summary>
    /// <value>Default 1.</value>
    [Range(1, 10_000)]
    public int MinimumMembers { get; set; } = 1;

    /// <summary>How long the cluster must be stable before the split-brain resolver downs unreachable nodes (keep-majority).</summary>
    /// <value>Default 20 s (Akka's); a few seconds in tests.</value>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan DownUnreachableAfter { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How long a member's heartbeats may pause before it is taken as unreachable (Akka warns at two
    /// thirds of it). Containers sharing a small host pause each other for seconds while they start.
    /// </summary>
    /// <value>Default 3 s (Akka's); 10 s in containers (appsettings.Container.json).</value>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:10:00")]
    public TimeSpan HeartbeatPause { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How often a node re-asks the coordinator whether the run is over, in case an ask or its answer was lost.</summary>
    /// <value>Default 1 s.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>After the run, how long a coordinator node waits for the other nodes to leave before it exits itself.</summary>
    /// <value>Default 10 s.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ExitGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>TLS between nodes (off by default).</summary>
    public TlsOptions Tls { get; set; } = new();

    public IReadOnlyList<string> RoleList => Split(Roles);

    /// <summary>The address scheme remoting uses: TLS links have their own, and every seed must use it.</summary>
    public string Protocol => Tls.Enabled ? "akka.ssl.tcp" : "akka.tcp";

    public IReadOnlyList<string> SeedNodeList => Split(SeedNodes);

    public bool Has(string role) => RoleList.Contains(role, StringComparer.Ordinal);

    public string EffectivePublicHostname =>
        !string.IsNullOrWhiteSpace(PublicHostname) ? PublicHostname
        : Hostname is "0.0.0.0" or "::" or "[::]" ? Dns.GetHostName()
        : Hostname;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RoleList.Count == 0)
        {
            yield return new ValidationResult($"a node needs at least one role of {string.Join(", ", KnownRoles)}.", [nameof(Roles)]);
        }

        foreach (var role in RoleList.Where(r => !KnownRoles.Contains(r, StringComparer.Ordinal)))
        {
            yield return new ValidationResult($"'{role}' is not a role; the roles are {string.Join(", ", KnownRoles)}.", [nameof(Roles)]);
        }

        foreach (var seed in SeedNodeList)
        {
            if (!IsSeedAddress(seed))
            {
                yield return new ValidationResult(
                    $"'{seed}' is not a seed address like {Protocol}://{SystemName}@host:4053{(Tls.Enabled ? " (Cluster:Tls:Enabled is true)" : string.Empty)}.",
                    [nameof(SeedNodes)]);
            }
        }
    }

    private bool IsSeedAddress(string seed)
    {
        try
        {
            var address = Address.Parse(seed);
            return address.Protocol == Protocol && address.System == SystemName && address.Host is { Length: > 0 } && address.Port is > 0 and <= 65535;
        }
        catch (Exception e) when (e is UriFormatException or ArgumentException or FormatException)
        {
            return false;
        }
    }

    private static string[] Split(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
