using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Runtime.Versioning;
using System.Text;
using Akka.Event;

namespace ActorPipeline.Tests.Host;

/// <summary>
/// <c>secrets init</c>, which compose's init container runs on every <c>up</c>: what it makes is what a
/// node and postgres can use (files, modes, a certificate that chains and passes the cluster's own TLS
/// check), what is already there survives, and an import of scripts/make-secrets.sh's folder wins.
/// </summary>
[UnsupportedOSPlatform("windows")] // file modes are asserted: the command is for Linux containers
public sealed class SecretsCommandSpecs : IDisposable
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(60);

    private static readonly string[] MadeFiles =
    [
        ClusterSecrets.CaCertificateFile, ClusterSecrets.NodePfxFile, ClusterSecrets.NodePasswordFile,
        ClusterSecrets.JournalConnectionFile, ClusterSecrets.PostgresPasswordFile, ClusterSecrets.DashboardTokenFile,
    ];

    private readonly string _root = Directory.CreateTempSubdirectory("actor-pipeline-secrets-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Out => Path.Combine(_root, "out");

    private string CaDir => Path.Combine(_root, "ca");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string OutFile(string name) => Path.Combine(Out, name);

    /// <summary>What docker-compose.yml tells <c>secrets init</c> its deployment names.</summary>
    private static readonly string[] Compose =
        ["--node-hosts", "coordinator,coordinator-standby,producers,consumers", "--journal-connection", "Host=postgres;Database=actor_pipeline;Username=actor_pipeline"];

    /// <summary><c>secrets</c> with <paramref name="args"/>, and compose's names after them unless they name their own.</summary>
    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = SecretsCommand.Run(args is ["init", ..] && !args.Any(a => a.StartsWith("--node-hosts", StringComparison.Ordinal) || a.StartsWith("--journal-connection", StringComparison.Ordinal)) ? [.. args, .. Compose] : args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    /// <summary><c>secrets init --out Out --ca-dir CaDir</c> and more; it must succeed.</summary>
    private string Init(params string[] more)
    {
        var (exitCode, output, error) = Run(["init", "--out", Out, "--ca-dir", CaDir, .. more]);
        Assert.True(exitCode == 0, $"exit code {exitCode}: {error}");
        return output;
    }

    private Dictionary<string, byte[]> Snapshot() =>
        Directory.GetFiles(Out).Concat(Directory.Exists(CaDir) ? Directory.GetFiles(CaDir) : []).ToDictionary(path => path, File.ReadAllBytes);

    private static X509Certificate2 LoadNode(string folder) => X509CertificateLoader.LoadPkcs12FromFile(
        Path.Combine(folder, ClusterSecrets.NodePfxFile), File.ReadAllText(Path.Combine(folder, ClusterSecrets.NodePasswordFile)));

    private static X509Certificate2 LoadCa(string folder) => X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(folder, ClusterSecrets.CaCertificateFile)));

    /// <summary>The chain from the node certificate in <paramref name="folder"/>, built with its ca.pem as the only root and both EKUs required; throws unless it builds.</summary>
    private static X509ChainElement[] AssertChainsToCa(string folder)
    {
        using var node = LoadNode(folder);
        using var ca = LoadCa(folder);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.1"));
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.2"));
        Assert.True(chain.Build(node), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        Assert.Equal(ca.Thumbprint, chain.ChainElements[^1].Certificate.Thumbprint);
        return [.. chain.ChainElements];
    }

    [Fact]
    public void Should_make_all_six_files_with_a_node_certificate_that_chains_to_the_ca()
    {
        var output = Init();

        Assert.Equal(MadeFiles.Order(), Directory.GetFiles(Out).Select(Path.GetFileName).Order()); // no ca.key, no temporary file left
        Assert.Equal([ClusterSecrets.CaKeyFile], Directory.GetFiles(CaDir).Select(Path.GetFileName));

        Assert.Equal(48, SecretFile.Read(OutFile(ClusterSecrets.DashboardTokenFile)).Length); // 24 random bytes as hex, long enough for the dashboard
        var password = File.ReadAllText(OutFile(ClusterSecrets.NodePasswordFile));
        Assert.Equal(32, Convert.FromBase64String(password).Length); // no line break either: FromBase64String would take one, so checked apart
        Assert.DoesNotContain('\n', password);
        using var node = LoadNode(Out);
        using var ca = LoadCa(Out);
        Assert.True(node.HasPrivateKey);
        Assert.Equal("CN=actor-pipeline-node", node.Subject);
        Assert.Equal("CN=ActorPipeline cluster CA", ca.Subject);
        Assert.Equal(3072, node.GetRSAPublicKey()!.KeySize);
        Assert.Equal(3072, ca.GetRSAPublicKey()!.KeySize);
        Assert.InRange((ca.NotAfter - DateTime.Now).TotalDays, 1824, 1826);
        Assert.InRange((node.NotAfter - DateTime.Now).TotalDays, 396, 398);
        AssertChainsToCa(Out);

        var caConstraints = Assert.Single(ca.Extensions.OfType<X509BasicConstraintsExtension>());
        Assert.True(caConstraints is { Critical: true, CertificateAuthority: true, HasPathLengthConstraint: true, PathLengthConstraint: 0 });
        Assert.Equal(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, Assert.Single(ca.Extensions.OfType<X509KeyUsageExtension>()).KeyUsages);
        Assert.False(Assert.Single(node.Extensions.OfType<X509BasicConstraintsExtension>()).CertificateAuthority);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, Assert.Single(node.Extensions.OfType<X509KeyUsageExtension>()).KeyUsages);
        var usages = Assert.Single(node.Extensions.OfType<X509EnhancedKeyUsageExtension>()).EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value);
        Assert.Equal(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"], usages.Order());
        var names = Assert.Single(node.Extensions.OfType<X509SubjectAlternativeNameExtension>());
        Assert.Equal(["consumers", "coordinator", "coordinator-standby", "localhost", "producers"], names.EnumerateDnsNames().Order());
        Assert.Equal([IPAddress.Loopback], names.EnumerateIPAddresses());

        var connection = File.ReadAllText(OutFile(ClusterSecrets.JournalConnectionFile));
        var journalPassword = File.ReadAllText(OutFile(ClusterSecrets.PostgresPasswordFile));
        Assert.Matches("^[0-9a-f]{48}$", journalPassword);
        Assert.Equal($"Host=postgres;Database=actor_pipeline;Username=actor_pipeline;Password={journalPassword}\n", connection);

        Assert.All(MadeFiles, name => Assert.Equal(AtomicFile.Shared, File.GetUnixFileMode(OutFile(name))));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(CaDir, ClusterSecrets.CaKeyFile)));

        Assert.DoesNotContain(password, output, StringComparison.Ordinal);
        Assert.DoesNotContain(journalPassword, output, StringComparison.Ordinal);
        var hash = ca.GetCertHashString(HashAlgorithmName.SHA256);
        var fingerprint = string.Join(':', Enumerable.Range(0, hash.Length / 2).Select(i => hash.Substring(i * 2, 2))); // as openssl x509 -fingerprint prints it
        Assert.Contains($"secrets: made CA {OutFile("ca.pem")} (SHA-256 fingerprint {fingerprint})", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_keep_the_ca_private_key_out_of_every_file_the_nodes_see()
    {
        var output = Init();

        using var caKey = RSA.Create();
        caKey.ImportFromPem(File.ReadAllText(Path.Combine(CaDir, ClusterSecrets.CaKeyFile)));
        using var ca = LoadCa(Out);
        Assert.Equal(ca.GetRSAPublicKey()!.ExportSubjectPublicKeyInfo(), caKey.ExportSubjectPublicKeyInfo()); // ca.key really is the CA's key

        // Text files: no PEM key and not the key's base64; the PFX: every key in it opened and compared.
        var keyBase64 = Convert.ToBase64String(caKey.ExportPkcs8PrivateKey())[..64];
        foreach (var name in MadeFiles.Where(n => n != ClusterSecrets.NodePfxFile))
        {
            var text = File.ReadAllText(OutFile(name));
            Assert.DoesNotContain("PRIVATE KEY", text, StringComparison.Ordinal);
            Assert.DoesNotContain(keyBase64, text.ReplaceLineEndings(""), StringComparison.Ordinal);
        }

        var bundle = X509CertificateLoader.LoadPkcs12CollectionFromFile(OutFile(ClusterSecrets.NodePfxFile), File.ReadAllText(OutFile(ClusterSecrets.NodePasswordFile)));
        Assert.Equal(2, bundle.Count);
        var inPfx = Assert.Single(bundle, c => c.Thumbprint == ca.Thumbprint); // the CA's certificate travels with the node's, without its key
        Assert.False(inPfx.HasPrivateKey);
        var nodeCert = Assert.Single(bundle, c => c.HasPrivateKey); // the node's key is there, and it is the only one
        Assert.NotEqual(caKey.ExportSubjectPublicKeyInfo(), nodeCert.GetRSAPublicKey()!.ExportSubjectPublicKeyInfo());
        Assert.DoesNotContain(keyBase64, output, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_say_the_ca_key_was_not_kept_without_a_ca_folder()
    {
        var (exitCode, output, _) = Run("init", "--out", Out);

        Assert.Equal(0, exitCode);
        Assert.Contains("secrets: the CA key was not kept (no --ca-dir)", output, StringComparison.Ordinal);
        Assert.Equal(MadeFiles.Order(), Directory.GetFiles(Out).Select(Path.GetFileName).Order());
        Assert.False(Directory.Exists(CaDir));
    }

    [Fact]
    public void Should_reuse_every_file_unchanged_on_a_second_init()
    {
        Init();
        var before = Snapshot();

        var output = Init();

        var after = Snapshot();
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        Assert.All(before, file => Assert.Equal(file.Value, after[file.Key]));
        Assert.Contains($"secrets: reusing {OutFile("ca.pem")}", output, StringComparison.Ordinal);
        Assert.Contains($"secrets: reusing {OutFile("journal.connection")}", output, StringComparison.Ordinal);
        Assert.Contains($"secrets: reusing {OutFile("dashboard.token")}", output, StringComparison.Ordinal);
        Assert.DoesNotContain("made", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_issue_a_new_node_certificate_from_the_same_ca_and_keep_the_journal_password_when_node_pfx_is_gone()
    {
        Init();
        var before = Snapshot();
        using (var old = LoadNode(Out))
        {
            File.Delete(OutFile(ClusterSecrets.NodePfxFile));
            var output = Init();

            using var renewed = LoadNode(Out);
            Assert.NotEqual(old.Thumbprint, renewed.Thumbprint);
            Assert.Contains($"secrets: issuing from the CA in {OutFile("ca.pem")}", output, StringComparison.Ordinal);
        }

        var after = Snapshot();
        AssertChainsToCa(Out);
        Assert.NotEqual(before[OutFile(ClusterSecrets.NodePasswordFile)], after[OutFile(ClusterSecrets.NodePasswordFile)]);
        foreach (var same in new[] { OutFile(ClusterSecrets.CaCertificateFile), Path.Combine(CaDir, ClusterSecrets.CaKeyFile), OutFile(ClusterSecrets.JournalConnectionFile), OutFile(ClusterSecrets.PostgresPasswordFile) })
        {
            Assert.Equal(before[same], after[same]);
        }
    }

    [Fact]
    public void Should_make_a_new_ca_when_node_pfx_is_gone_and_the_ca_key_was_not_kept()
    {
        Assert.Equal(0, Run("init", "--out", Out).ExitCode);
        var before = Snapshot();
        File.Delete(OutFile(ClusterSecrets.NodePfxFile));

        var (exitCode, output, _) = Run("init", "--out", Out);

        Assert.Equal(0, exitCode);
        Assert.Contains("making a new CA", output, StringComparison.Ordinal);
        Assert.NotEqual(before[OutFile(ClusterSecrets.CaCertificateFile)], File.ReadAllBytes(OutFile(ClusterSecrets.CaCertificateFile)));
        AssertChainsToCa(Out);
        Assert.Equal(before[OutFile(ClusterSecrets.PostgresPasswordFile)], File.ReadAllBytes(OutFile(ClusterSecrets.PostgresPasswordFile)));
    }

    [Fact]
    public void Should_make_a_new_journal_password_for_both_files_when_one_is_missing_and_leave_tls_alone()
    {
        Init();
        var before = Snapshot();
        File.Delete(OutFile(ClusterSecrets.PostgresPasswordFile));

        var output = Init();

        var password = File.ReadAllText(OutFile(ClusterSecrets.PostgresPasswordFile));
        Assert.NotEqual(Encoding.UTF8.GetString(before[OutFile(ClusterSecrets.JournalConnectionFile)]), File.ReadAllText(OutFile(ClusterSecrets.JournalConnectionFile)));
        Assert.EndsWith($";Password={password}\n", File.ReadAllText(OutFile(ClusterSecrets.JournalConnectionFile)), StringComparison.Ordinal);
        Assert.Contains("(postgres.password was missing)", output, StringComparison.Ordinal);
        foreach (var tls in new[] { ClusterSecrets.CaCertificateFile, ClusterSecrets.NodePfxFile, ClusterSecrets.NodePasswordFile })
        {
            Assert.Equal(before[OutFile(tls)], File.ReadAllBytes(OutFile(tls)));
        }
    }

    [Fact]
    public void Should_refuse_a_ca_key_that_is_not_the_key_of_ca_pem()
    {
        Init();
        var otherCa = Path.Combine(_root, "other-ca");
        Assert.Equal(0, Run("init", "--out", Path.Combine(_root, "other"), "--ca-dir", otherCa).ExitCode);
        File.Copy(Path.Combine(otherCa, ClusterSecrets.CaKeyFile), Path.Combine(CaDir, ClusterSecrets.CaKeyFile), overwrite: true);
        File.Delete(OutFile(ClusterSecrets.NodePfxFile));

        var (exitCode, _, error) = Run("init", "--out", Out, "--ca-dir", CaDir);

        Assert.Equal(1, exitCode);
        Assert.Contains($"{Path.Combine(CaDir, "ca.key")} is not the key of {OutFile("ca.pem")}", error, StringComparison.Ordinal);
    }

    /// <summary>A folder laid out as scripts/make-secrets.sh leaves it (its ca.key and postgres.env included), made with .NET so no openssl is needed.</summary>
    private static string MakeSecretsFolder(string folder, TestCertificates certificates, string journalPassword)
    {
        Directory.CreateDirectory(folder);
        File.Copy(certificates.CaPath, Path.Combine(folder, "ca.pem"));
        File.Copy(certificates.NodePfxPath, Path.Combine(folder, "node.pfx"));
        File.WriteAllText(Path.Combine(folder, "node.pfx.password"), certificates.NodePassword);
        File.WriteAllText(Path.Combine(folder, "ca.key"), "-----BEGIN PRIVATE KEY-----\nnot for the nodes\n-----END PRIVATE KEY-----\n");
        File.WriteAllText(Path.Combine(folder, "postgres.env"), $"POSTGRES_PASSWORD={journalPassword}\n");
        File.WriteAllText(Path.Combine(folder, "journal.connection"), $"Host=postgres;Database=actor_pipeline;Username=actor_pipeline;Password={journalPassword}\n");
        return folder;
    }

    [Fact]
    public void Should_import_make_secrets_files_over_what_is_there_and_derive_the_postgres_password()
    {
        Init(); // a folder made earlier: the import must win over it
        using var first = TestCertificates.Create();
        var journalPassword = $"journal{Guid.NewGuid():N}";
        var imported = MakeSecretsFolder(Path.Combine(_root, "made"), first, journalPassword);

        var output = Init("--import", imported);

        foreach (var name in ClusterSecrets.ImportedFiles)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(imported, name)), File.ReadAllBytes(OutFile(name)));
            Assert.Equal(AtomicFile.Shared, File.GetUnixFileMode(OutFile(name)));
            Assert.Contains($"secrets: imported {OutFile(name)} from {imported}", output, StringComparison.Ordinal);
        }

        Assert.Equal(journalPassword, File.ReadAllText(OutFile(ClusterSecrets.PostgresPasswordFile)));
        Assert.Equal(MadeFiles.Order(), Directory.GetFiles(Out).Select(Path.GetFileName).Order()); // neither ca.key nor postgres.env came along
        Assert.DoesNotContain(journalPassword, output, StringComparison.Ordinal);

        // make-secrets.sh --renew-node replaces node.pfx and its password; the next init takes them.
        using var renewed = TestCertificates.Create();
        File.Copy(renewed.NodePfxPath, Path.Combine(imported, "node.pfx"), overwrite: true);
        File.WriteAllText(Path.Combine(imported, "node.pfx.password"), renewed.NodePassword);
        Init("--import", imported);
        Assert.Equal(File.ReadAllBytes(renewed.NodePfxPath), File.ReadAllBytes(OutFile(ClusterSecrets.NodePfxFile)));
        Assert.Equal(renewed.NodePassword, File.ReadAllText(OutFile(ClusterSecrets.NodePasswordFile)));
    }

    [Fact]
    public void Should_fail_naming_the_missing_files_when_the_import_folder_is_partial_and_write_nothing()
    {
        using var certificates = TestCertificates.Create();
        var imported = MakeSecretsFolder(Path.Combine(_root, "made"), certificates, "secret");
        File.Delete(Path.Combine(imported, "node.pfx.password"));
        File.Delete(Path.Combine(imported, "journal.connection"));

        var (exitCode, output, error) = Run("init", "--out", Out, "--ca-dir", CaDir, "--import", imported);

        Assert.Equal(1, exitCode);
        Assert.StartsWith($"secrets: {imported} lacks node.pfx.password, journal.connection:", error, StringComparison.Ordinal);
        Assert.Empty(output);
        Assert.Empty(Directory.GetFiles(Out));
        Assert.False(Directory.Exists(CaDir));
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("empty")]
    [InlineData("unrelated")]
    public void Should_ignore_an_import_folder_without_any_of_the_files_and_make_them(string state)
    {
        var imported = Path.Combine(_root, "made");
        if (state != "missing")
        {
            Directory.CreateDirectory(imported);
        }

        if (state == "unrelated")
        {
            File.WriteAllText(Path.Combine(imported, "postgres.env"), "POSTGRES_PASSWORD=x\n");
        }

        var output = Init("--import", imported);

        Assert.Contains($"secrets: nothing to import from {imported}", output, StringComparison.Ordinal);
        Assert.Equal(MadeFiles.Order(), Directory.GetFiles(Out).Select(Path.GetFileName).Order());
        AssertChainsToCa(Out);
    }

    [Fact]
    public async Task Should_make_certificates_the_clusters_own_tls_validation_accepts_in_a_mutual_handshake_and_no_other_ca_s()
    {
        Init();
        var options = ConfiguredOptions.Resolve<NodeOptions>(
            ("Cluster:Tls:Enabled", "true"),
            ("Cluster:Tls:CertificatePath", OutFile(ClusterSecrets.NodePfxFile)),
            ("Cluster:Tls:CertificatePasswordFile", OutFile(ClusterSecrets.NodePasswordFile)),
            ("Cluster:Tls:TrustedCaPath", OutFile(ClusterSecrets.CaCertificateFile)),
            ("Cluster:Tls:ValidateHostname", "true"));
        var (certificate, trusted) = options.Tls.Load();
        using var node = certificate;
        var validator = new TrustedPeerValidator(trusted, validateHostname: true);

        // Both ends present the node certificate and judge the other's with the validator, as Akka's transport does; the client dials by a compose service name.
        var accepted = new ConcurrentBag<string>();
        RemoteCertificateValidationCallback Judge(string peer) => (_, presented, chain, errors) =>
        {
            var ok = validator.Validate(presented as X509Certificate2, chain, peer, errors, NoLogger.Instance);
            if (ok)
            {
                accepted.Add(peer);
            }

            return ok;
        };

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new TcpClient();
        var connecting = client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port, Ct).AsTask();
        using var incoming = await listener.AcceptTcpClientAsync(Ct);
        await connecting;
        await using var serverEnd = new SslStream(incoming.GetStream());
        await using var clientEnd = new SslStream(client.GetStream());
        await Task.WhenAll(
            serverEnd.AuthenticateAsServerAsync(
                new SslServerAuthenticationOptions { ServerCertificate = node, ClientCertificateRequired = true, RemoteCertificateValidationCallback = Judge("client") }, Ct),
            clientEnd.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions { TargetHost = "coordinator", ClientCertificates = [node], RemoteCertificateValidationCallback = Judge("server") }, Ct))
            .WaitAsync(RunLimit, Ct);

        Assert.True(serverEnd.IsMutuallyAuthenticated);
        Assert.Equal(["client", "server"], accepted.Order());

        // A node certificate from another init (another CA, same names) is refused by this cluster.
        var otherOut = Path.Combine(_root, "other");
        Assert.Equal(0, Run("init", "--out", otherOut).ExitCode);
        using var stranger = LoadNode(otherOut);
        Assert.False(validator.Validate(stranger, null, "stranger", SslPolicyErrors.None, NoLogger.Instance));
    }

    [Fact]
    public void Should_not_make_a_journal_connection_without_being_told_which_database_it_names()
    {
        var (exitCode, _, error) = Run("init", "--out", Out, "--node-hosts", "coordinator");

        Assert.Equal(ExitCodes.Failed, exitCode);
        Assert.Contains("no --journal-connection says which database it names", error, StringComparison.Ordinal);
        Assert.False(File.Exists(OutFile(ClusterSecrets.JournalConnectionFile)));
    }

    [Theory]
    [InlineData("which subcommand?")]
    [InlineData("'make' is not a subcommand", "make")]
    [InlineData("--out DIR is required", "init")]
    [InlineData("--out needs a folder", "init", "--out")]
    [InlineData("--out needs a folder", "init", "--out", "--ca-dir", "x")]
    [InlineData("'--force' is not an option of secrets init", "init", "--out", "x", "--force")]
    [InlineData("--out is given twice", "init", "--out", "x", "--out=y")]
    [InlineData("--ca-dir must not be the --out folder", "init", "--out", "x", "--ca-dir", "x/")]
    [InlineData("--import must name another folder than --out", "init", "--out=x", "--import=x")]
    [InlineData("--journal-connection must name no password", "init", "--out=x", "--journal-connection=Host=db;Password=secret")]
    [InlineData("--node-hosts needs host names", "init", "--out=x", "--node-hosts")]
    public void Should_refuse_bad_arguments_with_exit_code_1_naming_the_problem(string problem, params string[] args)
    {
        var (exitCode, output, error) = Run(args);

        Assert.Equal(ExitCodes.Failed, exitCode);
        Assert.StartsWith($"secrets: {problem}", error, StringComparison.Ordinal);
        // The usage names the program that runs the command (here the test assembly), then the command.
        Assert.Contains(" secrets init --out DIR [--ca-dir DIR] [--import DIR]", error, StringComparison.Ordinal);
        Assert.Contains("Usage: ", error, StringComparison.Ordinal);
        Assert.Empty(output);
    }

    [Fact]
    public async Task Should_run_secrets_init_in_the_built_host_and_exit_0()
    {
        using var host = HostProcess.Start(["secrets", "init", "--out", Out, "--ca-dir", CaDir, .. Compose], new Dictionary<string, string>());

        Assert.Equal(ExitCodes.Success, await host.WaitForExitAsync(RunLimit, Ct));

        Assert.Empty(host.Stderr);
        Assert.Equal(MadeFiles.Order(), Directory.GetFiles(Out).Select(Path.GetFileName).Order());
        Assert.True(File.Exists(Path.Combine(CaDir, ClusterSecrets.CaKeyFile)));
        Assert.All(host.Stdout, line => Assert.StartsWith("secrets: ", line, StringComparison.Ordinal)); // its answer, no log lines
        Assert.Equal(5, host.Stdout.Count); // the CA, the node certificate, the journal, the dashboard token, and where the key went
        AssertChainsToCa(Out);
    }

    [Fact]
    public async Task Should_exit_1_from_the_built_host_on_a_bad_argument_naming_it()
    {
        using var host = HostProcess.Start(["secrets", "init", "--ca-dir", CaDir], new Dictionary<string, string>());

        Assert.Equal(ExitCodes.Failed, await host.WaitForExitAsync(RunLimit, Ct));

        Assert.Equal("secrets: --out DIR is required: the folder the secrets go to.", host.Stderr.First());
        Assert.Empty(host.Stdout);
        Assert.False(Directory.Exists(CaDir));
    }
}
