using System.Data.Common;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ActorPipeline.Hosting.Security;

/// <summary>
/// The secrets a TLS cluster with a PostgreSQL journal needs, kept in one folder that the other
/// containers mount: made on the first start, reused on every later one, or imported from what
/// scripts/make-secrets.sh made. Two groups are judged apart, TLS (ca.pem, node.pfx, node.pfx.password)
/// and journal (journal.connection, postgres.password): a complete group is reused unchanged (the
/// PostgreSQL volume was initialised with that password), an incomplete one is made again. Each action
/// is reported as one line; no password or key ever is.
/// </summary>
/// <param name="folder">Where the nodes' and postgres's files go (mode 0644).</param>
/// <param name="caFolder">Where the CA's key goes (ca.key, mode 0600), away from the nodes; null: the key is not kept.</param>
/// <param name="deployment">
/// What the deployment names (compose's services): the hosts the node certificate is for, and the journal's
/// connection string without its password. Configuration, given on the command line, not written here.
/// </param>
/// <param name="report">One line per action.</param>
internal sealed class ClusterSecrets(string folder, string? caFolder, SecretsDeployment deployment, TextWriter report)
{
    public const string CaCertificateFile = "ca.pem";
    public const string CaKeyFile = "ca.key";
    public const string NodePfxFile = "node.pfx";
    public const string NodePasswordFile = "node.pfx.password";
    public const string JournalConnectionFile = "journal.connection";
    public const string PostgresPasswordFile = "postgres.password";
    public const string DashboardTokenFile = "dashboard.token";

    /// <summary>What scripts/make-secrets.sh makes that the nodes need; an import takes all of them or none.</summary>
    public static readonly IReadOnlyList<string> ImportedFiles = [CaCertificateFile, NodePfxFile, NodePasswordFile, JournalConnectionFile];

    private const UnixFileMode SharedFolder = AtomicFile.Shared | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
    private const UnixFileMode PrivateFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private static readonly string[] TlsFiles = [CaCertificateFile, NodePfxFile, NodePasswordFile];
    private static readonly string[] JournalFiles = [JournalConnectionFile, PostgresPasswordFile];

    private string CaPath => In(CaCertificateFile);

    private string NodePfxPath => In(NodePfxFile);

    private string NodePasswordPath => In(NodePasswordFile);

    private string ConnectionPath => In(JournalConnectionFile);

    private string PostgresPasswordPath => In(PostgresPasswordFile);

    /// <summary>Imports from <paramref name="importFolder"/> if it holds make-secrets.sh's files; otherwise reuses or makes each group.</summary>
    /// <exception cref="SecretsInitFailedException">The import folder is incomplete, or an existing CA and its key disagree.</exception>
    public void Init(string? importFolder, DateTimeOffset now)
    {
        CreateFolder(folder, SharedFolder);
        if (importFolder is null || !Import(importFolder))
        {
            EnsureTls(now);
            EnsureJournal();
        }

        EnsureDashboardToken();
    }

    /// <summary>The journal's password from a connection string, as PostgreSQL's client would read it (Npgsql also takes PWD and PSW).</summary>
    /// <exception cref="SecretsInitFailedException">The text is not a connection string, or names no password.</exception>
    public static string PasswordOf(string connectionString, string source) =>
        PasswordIn(connectionString, source)
        ?? throw new SecretsInitFailedException($"{source} names no Password, so postgres.password cannot be derived from it.");

    /// <summary>The password a connection string names, if any (Npgsql also takes PWD and PSW).</summary>
    /// <exception cref="SecretsInitFailedException">The text is not a connection string.</exception>
    public static string? PasswordIn(string connectionString, string source)
    {
        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            // The parser's message quotes the text around the fault, which may be the password: not repeated.
            throw new SecretsInitFailedException($"{source} is not a connection string (Key=value;...).");
        }

        foreach (var key in new[] { "Password", "PWD", "PSW" })
        {
            if (builder.TryGetValue(key, out var value) && value is string { Length: > 0 } password)
            {
                return password;
            }
        }

        return null;
    }

    private static void CreateFolder(string path, UnixFileMode mode)
    {
        if (Directory.Exists(path))
        {
            return; // a mounted volume's mode is the volume's business
        }

        Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    private bool Import(string importFolder)
    {
        var present = ImportedFiles.Where(name => File.Exists(Path.Combine(importFolder, name))).ToList();
        if (present.Count == 0)
        {
            report.WriteLine($"secrets: nothing to import from {importFolder} (no {string.Join(", ", ImportedFiles)})");
            return false;
        }

        var missing = ImportedFiles.Except(present).ToList();
        if (missing.Count > 0)
        {
            throw new SecretsInitFailedException(
                $"{importFolder} lacks {string.Join(", ", missing)}: an import takes all of {string.Join(", ", ImportedFiles)} (what scripts/make-secrets.sh makes) or none.");
        }

        // Read and checked before anything is written, so a bad import folder leaves the output as it was.
        var files = ImportedFiles.ToDictionary(name => name, name => File.ReadAllBytes(Path.Combine(importFolder, name)));
        var password = PasswordOf(SecretFile.Read(Path.Combine(importFolder, JournalConnectionFile)), Path.Combine(importFolder, JournalConnectionFile));

        // Copied every time, not only once: a certificate renewed with make-secrets.sh --renew-node must reach the nodes.
        foreach (var (name, bytes) in files)
        {
            AtomicFile.Write(In(name), bytes, AtomicFile.Shared);
            report.WriteLine($"secrets: imported {In(name)} from {importFolder}");
        }

        AtomicFile.WriteText(PostgresPasswordPath, password, AtomicFile.Shared);
        report.WriteLine($"secrets: derived {PostgresPasswordPath} from the Password of {ConnectionPath}");
        return true;
    }

    private void EnsureTls(DateTimeOffset now)
    {
        var missing = Missing(TlsFiles);
        if (missing.Count == 0)
        {
            using var ca = ReadCertificate(CaPath);
            report.WriteLine($"secrets: reusing {CaPath} (SHA-256 fingerprint {CertificateAuthority.Fingerprint(ca)}), {NodePfxPath} and {NodePasswordPath}");
            return;
        }

        // node.pfx is written last and is what makes the group complete: removed first, a crash part-way through
        // leaves the group incomplete (made again next time), never a node.pfx beside a password or CA not its own.
        var existing = ExistingAuthority(missing, now);
        File.Delete(NodePfxPath);
        using var authority = existing ?? NewAuthority(now);
        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var issued = authority.IssueNode(password, deployment.NodeHosts, now);
        AtomicFile.WriteText(NodePasswordPath, password, AtomicFile.Shared);
        AtomicFile.Write(NodePfxPath, issued.Pfx, AtomicFile.Shared);
        report.WriteLine(
            $"secrets: issued node certificate {NodePfxPath} ({CertificateAuthority.NodeSubject}, valid until {issued.NotAfter.ToUniversalTime():u}), its password in {NodePasswordPath}");
    }

    /// <summary>The CA already in the folder, if its key is in the CA folder to issue with; null if a new CA must be made.</summary>
    private CertificateAuthority? ExistingAuthority(IReadOnlyList<string> missing, DateTimeOffset now)
    {
        if (missing.Contains(CaCertificateFile))
        {
            return null;
        }

        var keyPath = caFolder is null ? null : Path.Combine(caFolder, CaKeyFile);
        if (keyPath is null || !File.Exists(keyPath))
        {
            report.WriteLine($"secrets: {string.Join(", ", missing)} missing and no {CaKeyFile} in --ca-dir to issue with from {CaPath}; making a new CA");
            return null;
        }

        CertificateAuthority? authority;
        try
        {
            authority = CertificateAuthority.FromPem(File.ReadAllText(CaPath), File.ReadAllText(keyPath));
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new SecretsInitFailedException($"cannot read {CaPath} as a PEM certificate and {keyPath} as its PEM private key.");
        }

        // Refused rather than replaced: that key may be the only copy of a CA some nodes still trust.
        if (authority is null)
        {
            throw new SecretsInitFailedException($"{keyPath} is not the key of {CaPath}; remove one of them to have a new CA made.");
        }

        if (authority.Certificate.NotAfter <= now)
        {
            report.WriteLine($"secrets: the CA in {CaPath} expired on {authority.Certificate.NotAfter.ToUniversalTime():u}; making a new CA");
            authority.Dispose();
            return null;
        }

        report.WriteLine($"secrets: issuing from the CA in {CaPath} (SHA-256 fingerprint {CertificateAuthority.Fingerprint(authority.Certificate)}) with {keyPath}");
        return authority;
    }

    private CertificateAuthority NewAuthority(DateTimeOffset now)
    {
        var authority = CertificateAuthority.Create(now);
        try
        {
            // The key first: a CA certificate without its key could never issue again.
            var keyPath = caFolder is null ? null : Path.Combine(caFolder, CaKeyFile);
            if (keyPath is not null)
            {
                CreateFolder(caFolder!, PrivateFolder);
                AtomicFile.WriteText(keyPath, authority.ExportPrivateKeyPem(), AtomicFile.Private);
            }

            AtomicFile.WriteText(CaPath, authority.CertificatePem, AtomicFile.Shared);
            report.WriteLine($"secrets: made CA {CaPath} (SHA-256 fingerprint {CertificateAuthority.Fingerprint(authority.Certificate)})");
            report.WriteLine(keyPath is not null
                ? $"secrets: kept the CA key in {keyPath} (mode 0600)"
                : "secrets: the CA key was not kept (no --ca-dir): a new node certificate will need a new CA");
            return authority;
        }
        catch
        {
            authority.Dispose();
            throw;
        }
    }

    private void EnsureJournal()
    {
        var missing = Missing(JournalFiles);
        if (missing.Count == 0)
        {
            report.WriteLine($"secrets: reusing {ConnectionPath} and {PostgresPasswordPath} (the database was initialised with that password)");
            return;
        }

        var database = deployment.JournalConnection
            ?? throw new SecretsInitFailedException(
                $"{ConnectionPath} must be made, and no --journal-connection says which database it names (e.g. Host=postgres;Database=actor_pipeline;Username=actor_pipeline).");

        // As with node.pfx: journal.connection is written last and removed first, so a complete pair always agrees.
        File.Delete(ConnectionPath);
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)); // hex: nothing to quote in a connection string
        AtomicFile.WriteText(PostgresPasswordPath, password, AtomicFile.Shared);
        AtomicFile.WriteText(ConnectionPath, $"{database.TrimEnd(';')};Password={password}\n", AtomicFile.Shared);
        var why = missing.Count < JournalFiles.Length ? $" ({string.Join(", ", missing)} was missing)" : "";
        report.WriteLine($"secrets: made {ConnectionPath} and {PostgresPasswordPath} with a new random database password{why}");
    }

    /// <summary>The token the dashboard asks for before a requeue (Operations:DashboardTokenFile): made once, then kept.</summary>
    private void EnsureDashboardToken()
    {
        var path = In(DashboardTokenFile);
        if (File.Exists(path) && SecretFile.Read(path).Length >= OperationsOptions.MinimumTokenLength)
        {
            report.WriteLine($"secrets: reusing {path}");
            return;
        }

        AtomicFile.WriteText(path, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)) + "\n", AtomicFile.Shared);
        report.WriteLine($"secrets: made {path} with a new random dashboard token");
    }

    private static X509Certificate2 ReadCertificate(string path)
    {
        try
        {
            return X509Certificate2.CreateFromPem(File.ReadAllText(path));
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new SecretsInitFailedException($"cannot read {path} as a PEM certificate; remove it to have a new CA made.");
        }
    }

    private List<string> Missing(IEnumerable<string> names) => [.. names.Where(name => !File.Exists(In(name)))];

    private string In(string name) => Path.Combine(folder, name);
}
