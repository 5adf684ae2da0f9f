using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ActorPipeline.Tests.Host;

/// <summary><c>Cluster:Tls</c> as validated at start-up: every mistake stops the node with the key to fix, and never echoes a password.</summary>
public sealed class TlsConfigurationSpecs : IDisposable
{
    private readonly TestCertificates _certificates = TestCertificates.Create();

    public void Dispose() => _certificates.Dispose();

    private static NodeOptions Resolve(params (string Key, string Value)[] settings) => ConfiguredOptions.Resolve<NodeOptions>(settings);

    private static string SingleFailure(params (string Key, string Value)[] settings) => ConfiguredOptions.SingleFailure<NodeOptions>(settings);

    private (string, string)[] WithCertificate(params (string, string)[] more) =>
    [
        ("Cluster:Tls:Enabled", "true"),
        ("Cluster:Tls:CertificatePath", _certificates.NodePfxPath),
        ("Cluster:Tls:CertificatePasswordFile", _certificates.NodePasswordPath),
        ("Cluster:Tls:TrustedCaPath", _certificates.CaPath),
        .. more,
    ];

    [Fact]
    public void Should_need_no_certificate_while_tls_is_off()
    {
        var options = Resolve();

        Assert.False(options.Tls.Enabled);
        Assert.Equal("akka.tcp", options.Protocol);
    }

    [Fact]
    public void Should_load_the_node_certificate_with_its_key_and_the_trusted_ca()
    {
        var options = Resolve(WithCertificate());

        var (certificate, trusted) = options.Tls.Load();
        using (certificate)
        {
            Assert.True(certificate.HasPrivateKey);
            Assert.Equal("CN=actor-pipeline-node", certificate.Subject);
            Assert.Equal("CN=Test cluster CA", Assert.Single(trusted).Subject);
            Assert.Equal("akka.ssl.tcp", options.Protocol);
        }
    }

    [Fact]
    public void Should_load_the_node_certificate_from_the_store_by_thumbprint()
    {
        using var certificate = X509CertificateLoader.LoadPkcs12FromFile(_certificates.NodePfxPath, _certificates.NodePassword, X509KeyStorageFlags.PersistKeySet);
        using var store = new X509Store(StoreName.My, StoreLocation.CurrentUser);
        store.Open(OpenFlags.ReadWrite);
        store.Add(certificate);
        try
        {
            var options = Resolve(
                ("Cluster:Tls:Enabled", "true"), ("Cluster:Tls:CertificateThumbprint", certificate.Thumbprint), ("Cluster:Tls:TrustedCaPath", _certificates.CaPath));

            var (loaded, _) = options.Tls.Load();
            using (loaded)
            {
                Assert.Equal(certificate.Thumbprint, loaded.Thumbprint);
                Assert.True(loaded.HasPrivateKey);
            }

            var failure = SingleFailure(("Cluster:Tls:Enabled", "true"), ("Cluster:Tls:CertificateThumbprint", new string('0', 40)));
            Assert.StartsWith("Cluster:Tls:CertificateThumbprint = 0000", failure, StringComparison.Ordinal);
        }
        finally
        {
            store.Remove(certificate);
        }
    }

    [Fact]
    public void Should_refuse_tls_without_a_certificate()
    {
        var failure = SingleFailure(("Cluster:Tls:Enabled", "true"));

        Assert.StartsWith("Cluster:Tls:CertificatePath = (none): TLS needs this node's certificate", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_refuse_a_wrong_password_naming_the_key_and_not_the_password()
    {
        var failure = SingleFailure(WithCertificate(("Cluster:Tls:CertificatePasswordFile", ""), ("Cluster:Tls:CertificatePassword", "not-the-password")));

        Assert.StartsWith("Cluster:Tls:CertificatePath = ", failure, StringComparison.Ordinal);
        Assert.Contains("with the configured password", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Cluster:Tls:CertificatePath", "/nonexistent/node.pfx")]
    [InlineData("Cluster:Tls:TrustedCaPath", "/nonexistent/ca.pem")]
    [InlineData("Cluster:Tls:CertificatePasswordFile", "/nonexistent/password")]
    public void Should_refuse_a_file_that_cannot_be_read_naming_its_key(string key, string path)
    {
        var failure = SingleFailure(WithCertificate((key, path)));

        Assert.StartsWith(key, failure, StringComparison.Ordinal);
        Assert.Contains("cannot read", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_refuse_a_trust_file_that_holds_no_certificate()
    {
        var failure = SingleFailure(WithCertificate(("Cluster:Tls:TrustedCaPath", _certificates.NodePasswordPath)));

        Assert.StartsWith("Cluster:Tls:TrustedCaPath", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_refuse_plain_seed_addresses_once_tls_is_on()
    {
        var failure = SingleFailure(WithCertificate(("Cluster:SeedNodes", "akka.tcp://actor-pipeline@127.0.0.1:4053")));

        Assert.StartsWith("Cluster:SeedNodes = ", failure, StringComparison.Ordinal);
        Assert.Contains("akka.ssl.tcp://actor-pipeline@host:4053", failure, StringComparison.Ordinal);
    }
}
