using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ActorPipeline.Tests.Host;

/// <summary>
/// A throwaway cluster CA with a node certificate it signed (what scripts/make-certs.sh makes with
/// openssl), and a rogue self-signed certificate with the same subject that the cluster must not trust,
/// written as PFX/PEM files to a temporary folder that is deleted on dispose.
/// </summary>
internal sealed class TestCertificates : IDisposable
{
    private TestCertificates(string folder) => Folder = folder;

    public string Folder { get; }

    public string CaPath => Path.Combine(Folder, "ca.pem");

    public string NodePfxPath => Path.Combine(Folder, "node.pfx");

    public string NodePasswordPath => Path.Combine(Folder, "node.pfx.password");

    public string NodePassword { get; } = $"node-{Guid.NewGuid():N}";

    public string RoguePfxPath => Path.Combine(Folder, "rogue.pfx");

    public string RoguePassword { get; } = $"rogue-{Guid.NewGuid():N}";

    /// <summary>Environment settings that put a node on TLS with the cluster's certificate and trust.</summary>
    public (string Key, string Value)[] NodeSettings =>
    [
        ("Cluster__Tls__Enabled", "true"),
        ("Cluster__Tls__CertificatePath", NodePfxPath),
        ("Cluster__Tls__CertificatePasswordFile", NodePasswordPath),
        ("Cluster__Tls__TrustedCaPath", CaPath),
    ];

    /// <summary>A node on TLS with a certificate the cluster never issued; it trusts the cluster's CA (which is public knowledge).</summary>
    public (string Key, string Value)[] RogueSettings =>
    [
        ("Cluster__Tls__Enabled", "true"),
        ("Cluster__Tls__CertificatePath", RoguePfxPath),
        ("Cluster__Tls__CertificatePassword", RoguePassword),
        ("Cluster__Tls__TrustedCaPath", CaPath),
    ];

    public static TestCertificates Create()
    {
        var certificates = new TestCertificates(Directory.CreateTempSubdirectory("actor-pipeline-certs-").FullName);
        var now = DateTimeOffset.UtcNow;

        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=Test cluster CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, critical: false));
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        File.WriteAllText(certificates.CaPath, ca.ExportCertificatePem());

        using var nodeKey = RSA.Create(2048);
        using var signed = NodeRequest(nodeKey).Create(ca, now.AddDays(-1), now.AddDays(30), [1, 2, 3, 4]); // ca holds its key: CreateSelfSigned keeps it
        using var node = signed.CopyWithPrivateKey(nodeKey);
        File.WriteAllBytes(certificates.NodePfxPath, node.Export(X509ContentType.Pkcs12, certificates.NodePassword));
        File.WriteAllText(certificates.NodePasswordPath, certificates.NodePassword + "\n");

        using var rogueKey = RSA.Create(2048);
        using var rogue = NodeRequest(rogueKey).CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        File.WriteAllBytes(certificates.RoguePfxPath, rogue.Export(X509ContentType.Pkcs12, certificates.RoguePassword));
        return certificates;
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    private static CertificateRequest NodeRequest(RSA key)
    {
        var request = new CertificateRequest("CN=actor-pipeline-node", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        return request;
    }
}
