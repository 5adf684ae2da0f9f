using System.Security.Cryptography;

namespace ActorPipeline.Hosting.Commands;

/// <summary>
/// <c>ActorPipeline.Host secrets init --out DIR [--ca-dir DIR] [--import DIR] [--node-hosts NAMES] [--journal-connection TEXT]</c>: a one-shot command
/// for compose's init container, which runs this image (so .NET's crypto, no openssl), to make, reuse or
/// import the cluster's secrets before any node or postgres starts (<see cref="ClusterSecrets"/>).
/// </summary>
internal static class SecretsCommand
{
    public const string Name = "secrets";

    public const string Usage = """
        Usage: ActorPipeline.Host secrets init --out DIR [--ca-dir DIR] [--import DIR]
                   [--node-hosts NAME,...] [--journal-connection TEXT]

        Makes in DIR what a TLS cluster with a PostgreSQL journal needs, each file mode 0644: ca.pem,
        node.pfx and node.pfx.password (Cluster:Tls), journal.connection
        (Pipeline:Persistence:ConnectionStringFile), postgres.password and dashboard.token
        (Operations:DashboardTokenFile). A complete group (TLS, journal, dashboard token) already in DIR
        is reused unchanged; an incomplete one is made again.
          --out DIR     where the files go
          --ca-dir DIR  where the CA's private key goes (ca.key, mode 0600), away from the nodes;
                        without it the key is not kept, and a new node certificate needs a new CA
          --import DIR  copy ca.pem, node.pfx, node.pfx.password and journal.connection from DIR
                        (what scripts/make-secrets.sh makes) if it holds them, and derive postgres.password
          --node-hosts NAME,...
                        the host names nodes dial each other by (compose's services); the node
                        certificate names them, localhost and 127.0.0.1
          --journal-connection TEXT
                        the journal's connection string without a password, e.g.
                        Host=postgres;Database=actor_pipeline;Username=actor_pipeline; needed when
                        journal.connection is made, which then adds the new password to it

        """;

    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        if (CommandLine.WantsHelp(args))
        {
            output.Write(CommandLine.ForThisProgram(Usage));
            return ExitCodes.Success;
        }

        if (Parse(args, out var options) is { } problem)
        {
            error.WriteLine($"secrets: {problem}");
            error.WriteLine();
            error.Write(CommandLine.ForThisProgram(Usage));
            return ExitCodes.Failed;
        }

        try
        {
            var deployment = new SecretsDeployment(
                options.TryGetValue("--node-hosts", out var hosts) ? hosts.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [],
                options.GetValueOrDefault("--journal-connection"));
            new ClusterSecrets(options["--out"], options.GetValueOrDefault("--ca-dir"), deployment, output).Init(options.GetValueOrDefault("--import"), DateTimeOffset.UtcNow);
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is SecretsInitFailedException or IOException or UnauthorizedAccessException or CryptographicException or InvalidOperationException)
        {
            // The messages name paths, never contents: no secret reaches the console.
            error.WriteLine($"secrets: {e.Message}");
            return ExitCodes.Failed;
        }
    }

    /// <summary>What is wrong with the arguments, or null with the options by name.</summary>
    private static string? Parse(IReadOnlyList<string> args, out Dictionary<string, string> options)
    {
        options = [];
        if (args is not ["init", ..])
        {
            return args.Count == 0 ? "which subcommand? The only one is init." : $"'{args[0]}' is not a subcommand; the only one is init.";
        }

        for (var i = 1; i < args.Count; i++)
        {
            var arg = args[i];
            var (name, value) = arg.Split('=', 2) is [var n, var v] ? (n, v) : (arg, i + 1 < args.Count ? args[++i] : null);
            var needs = name switch
            {
                "--out" or "--ca-dir" or "--import" => "a folder",
                "--node-hosts" => "host names",
                "--journal-connection" => "a connection string",
                _ => null,
            };
            if (needs is null)
            {
                return $"'{arg}' is not an option of secrets init.";
            }

            if (string.IsNullOrWhiteSpace(value) || value.StartsWith("--", StringComparison.Ordinal))
            {
                return $"{name} needs {needs}.";
            }

            if (!options.TryAdd(name, value))
            {
                return $"{name} is given twice.";
            }
        }

        if (!options.TryGetValue("--out", out var output))
        {
            return "--out DIR is required: the folder the secrets go to.";
        }

        // The point of --ca-dir is that the nodes, which mount --out, never see the CA's key.
        var outFolder = FullPath(output);
        if (options.TryGetValue("--ca-dir", out var caFolder) && FullPath(caFolder) == outFolder)
        {
            return "--ca-dir must not be the --out folder: the nodes mount that one, and the CA's key must stay off them.";
        }

        if (options.TryGetValue("--import", out var importFolder) && FullPath(importFolder) == outFolder)
        {
            return "--import must name another folder than --out.";
        }

        // The password is made here, and must be the one postgres is initialised with: one given as well would be a second.
        try
        {
            return options.TryGetValue("--journal-connection", out var connection) && ClusterSecrets.PasswordIn(connection, "--journal-connection") is not null
                ? "--journal-connection must name no password: secrets init makes it."
                : null;
        }
        catch (SecretsInitFailedException notAConnectionString)
        {
            return notAConnectionString.Message;
        }
    }

    private static string FullPath(string folder) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
}
