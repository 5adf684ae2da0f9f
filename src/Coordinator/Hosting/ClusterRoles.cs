namespace ActorPipeline.Coordinator.Hosting;

/// <summary>The cluster roles every node and the coordinator agree on.</summary>
internal static class ClusterRoles
{
    public const string Coordinator = "coordinator";

    public const string Producer = "producer";

    public const string Consumer = "consumer";

    /// <summary>A node's name travels as a role with this prefix, so every member sees which names are taken and whose producers are whose.</summary>
    public const string NodeNamePrefix = "node-name.";

    /// <summary>The role that carries a node's name.</summary>
    public static string ForNodeName(string name) => NodeNamePrefix + name;

    /// <summary>The node name among a member's roles, if it has one (a node of an older version does not).</summary>
    public static string? NodeNameIn(IEnumerable<string> roles) =>
        roles.FirstOrDefault(r => r.StartsWith(NodeNamePrefix, StringComparison.Ordinal))?[NodeNamePrefix.Length..];
}
