namespace ActorPipeline.Hosting.Commands;

/// <summary>The seed's argparse switches, mapped onto configuration keys, and the usage text.</summary>
internal static class CommandLine
{
    public static readonly IReadOnlyDictionary<string, string> SwitchMappings = new Dictionary<string, string>
    {
        ["-p"] = "Pipeline:Producers:Count",
        ["--nprod"] = "Pipeline:Producers:Count",
        ["-c"] = "Pipeline:Consumers:Count",
        ["--ncon"] = "Pipeline:Consumers:Count",
    };

    public const string Usage = """
        Usage: ActorPipeline.Host [-p|--nprod N] [-c|--ncon N] [--Section:Key=value ...]
               ActorPipeline.Host secrets init --out DIR [--ca-dir DIR] [--import DIR] [--node-hosts ...] [--journal-connection ...]
               ActorPipeline.Host dead-letters list|requeue [ID ...]|discard ID ...|--all [--Key=value ...]
               ActorPipeline.Host run end [--Key=value ...]

          -p, --nprod N   producers on this node (Pipeline:Producers:Count)
          -c, --ncon N    consumers on this node (Pipeline:Consumers:Count)
          -h, --help      this text

        Any configuration key can be given as --Key=value, e.g. --Pipeline:Queue:Capacity=100,
        or as an environment variable, e.g. Pipeline__Queue__Capacity=100. See README.md.

        dead-letters lists the dead letters in the journal, requeues them for the next run, or discards
        them from the run for good (settled: a run whose only dead letters were discarded exits 0).
        run end ends the run in the journal on purpose: producers not yet done put nothing more. Both
        work on a stopped service (one writer per journal); a running one takes the same from its
        operator's page with Operations:DashboardToken (README, Operations).

        secrets init makes (or reuses, or imports from scripts/make-secrets.sh's folder) the cluster's
        TLS certificates and the journal's password in --out, the CA's key only in --ca-dir; it is what
        compose's init service runs (README, Security); secrets --help describes it.

        """;

    /// <summary>A usage text naming the program that is running (the Host, or a service built on the library) instead of the Host.</summary>
    public static string ForThisProgram(string usage) =>
        System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name is { Length: > 0 } name && name != "testhost"
            ? usage.Replace("ActorPipeline.Host ", name + " ", StringComparison.Ordinal)
            : usage;

    /// <summary>
    /// The first argument that is neither a known switch nor a <c>--Key=value</c> setting, described; null if all are fine.
    /// The configuration provider would silently ignore an unknown short switch such as <c>-x</c>.
    /// </summary>
    public static string? FindInvalidArgument(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var name = arg.Split('=', 2)[0];
            if (SwitchMappings.ContainsKey(name))
            {
                i += arg.Contains('=', StringComparison.Ordinal) ? 0 : 1;
                if (i >= args.Count)
                {
                    return $"{arg} needs a value.";
                }
            }
            else if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2)
            {
                // --Key value: a --Key with no value after it (a typo, a flag this service does not have) would be dropped
                // silently by the configuration provider, and the node would start as if it had not been given.
                i += arg.Contains('=', StringComparison.Ordinal) ? 0 : 1;
                if (i >= args.Count)
                {
                    return $"{arg} is not a switch this program knows, and as a setting it needs a value (--Section:Key=value).";
                }
            }
            else
            {
                return $"'{arg}' is not an option.";
            }
        }

        return null;
    }

    public static bool WantsHelp(IEnumerable<string> args) => args.Any(a => a is "-h" or "--help" or "-?");
}
