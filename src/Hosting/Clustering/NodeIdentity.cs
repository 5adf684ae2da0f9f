using System.Security.Cryptography;
using ActorPipeline.Coordinator;
using Microsoft.Extensions.Options;

namespace ActorPipeline.Hosting.Clustering;

/// <summary>
/// This node's name in the cluster (see <see cref="NodeOptions.NodeName"/>), and the cluster role that
/// carries it, so that every member can see which names are taken.
/// </summary>
internal sealed record NodeIdentity(string Name)
{
    /// <summary>The file beside the journal that keeps an embedded node's generated name.</summary>
    public const string FileName = "actor-pipeline.node";

    /// <summary>The role every node carries besides its own, naming it.</summary>
    public string Role => ClusterRoles.ForNodeName(Name);

    /// <summary>The node name a member carries in its roles, if any.</summary>
    public static string? NameIn(IEnumerable<string> roles) => ClusterRoles.NodeNameIn(roles);

    /// <summary>
    /// The configured name, or for a node that runs producers the default rule's: container host name, host
    /// and fixed port, or an id kept beside the journal. A node that runs no producers has nothing to resume
    /// under a name, so it takes a fresh one and reads and writes no file: several such nodes can start from one folder.
    /// </summary>
    public static NodeIdentity Resolve(NodeOptions node, PipelineOptions pipeline)
    {
        if (!string.IsNullOrWhiteSpace(node.NodeName))
        {
            return new NodeIdentity(node.NodeName);
        }

        if (!node.Has(ClusterRoles.Producer) || pipeline.Producers.Count == 0)
        {
            return Fresh();
        }

        var persistence = pipeline.Persistence;

        if (string.Equals(Environment.GetEnvironmentVariable("DOTNET_RUNNING_IN_CONTAINER"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return new NodeIdentity(Sanitized(System.Net.Dns.GetHostName()));
        }

        if (node.Port != 0)
        {
            return new NodeIdentity(Sanitized($"{node.EffectivePublicHostname}-{node.Port}"));
        }

        // A free port changes on every start, so the name is kept in a file instead, beside the journal.
        var file = Path.Combine(FolderOfJournal(persistence), FileName);
        try
        {
            if (File.Exists(file) && File.ReadAllText(file).Trim() is { Length: > 0 } kept)
            {
                return new NodeIdentity(kept);
            }

            var made = Fresh().Name;
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, made + Environment.NewLine);
            return new NodeIdentity(made);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Without the file the next start would be another node, and its producers would not resume. Said as a
            // setting that cannot be honoured (one line naming the key, exit 1), not as a crash: a file left by sudo
            // or a volume owned by another user is an everyday cause.
            var key = $"{NodeOptions.SectionName}:{nameof(NodeOptions.NodeName)}";
            throw new OptionsValidationException(
                NodeOptions.SectionName,
                typeof(NodeOptions),
                [$"{key}: not set, and this node's name cannot be read from or kept in {file} ({e.Message}); make that file readable and writable for this user, or set {key}"]);
        }
    }

    private static NodeIdentity Fresh() => new($"node-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}");

    private static string FolderOfJournal(PersistenceOptions persistence)
    {
        return SqliteJournalFile.PathOf(persistence) is { } journal
            ? Path.GetDirectoryName(journal) ?? Directory.GetCurrentDirectory()
            : Directory.GetCurrentDirectory();
    }

    private static string Sanitized(string name)
    {
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-').ToArray();
        return new string(chars).Trim('-', '.', '_') is { Length: > 0 } clean ? clean[..Math.Min(clean.Length, 63)] : "node";
    }
}
