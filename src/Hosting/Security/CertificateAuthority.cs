using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ActorPipeline.Hosting.Security;

/// <summary>
/// The cluster's own certificate authority, made with .NET's crypto rather than openssl (the init
/// container runs our image, which has none): the same names, lifetimes, key sizes and extensions as
/// scripts/make-secrets.sh, so a node cannot tell which of the two made its certificate. Holds the CA's
/// private key; dispose it.
/// </summary>
internal sealed class CertificateAuthority : IDisposable
{
    public const string Subject = "CN=ActorPipeline cluster CA";

    public const string NodeSubject = "CN=actor-pipeline-node";

    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(1825);

    public static readonly TimeSpan NodeLifetime = TimeSpan.FromDays(397);

    /// <summary>
    /// Named by every node certificate beside the hosts it is issued for (with 127.0.0.1), so that
    /// <c>Cluster:Tls:ValidateHostname</c> holds on one machine too. Which hosts a deployment has is its own
    /// configuration (compose passes its services to <c>secrets init --node-hosts</c>), not this code's.
    /// </summary>
    public const string LocalHost = "localhost";

    private const int KeyBits = 3072;
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";

    // Backdated a little: a node whose clock is a minute behind the init container's must not see a certificate from the future.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private readonly RSA _key;

    private CertificateAuthority(X509Certificate2 certificate, RSA key)
    {
        Certificate = certificate;
        _key = key;
    }

    /// <summary>The CA's certificate without its key: what every node trusts, and what goes into each node's PFX.</summary>
    public X509Certificate2 Certificate { get; }

    public string CertificatePem => Certificate.ExportCertificatePem();

    /// <summary>A new CA with a fresh key, valid from now (less the skew) for <see cref="Lifetime"/>.</summary>
    public static CertificateAuthority Create(DateTimeOffset now)
    {
        var key = RSA.Create(KeyBits);
        var request = new CertificateRequest(Subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        using var selfSigned = request.CreateSelfSigned(now - ClockSkew, now + Lifetime);

        // Kept apart from its key, so neither a PEM nor a PFX made from it can carry the key by accident.
        return new CertificateAuthority(X509CertificateLoader.LoadCertificate(selfSigned.RawData), key);
    }

    /// <summary>An existing CA from its certificate and PKCS#8 (or PKCS#1) key in PEM; null if the key is not the certificate's.</summary>
    /// <exception cref="CryptographicException">Either text is not what it should be.</exception>
    /// <exception cref="ArgumentException">Either text holds no PEM block of its kind.</exception>
    public static CertificateAuthority? FromPem(string certificatePem, string privateKeyPem)
    {
        var certificate = X509Certificate2.CreateFromPem(certificatePem);
        var key = RSA.Create();
        try
        {
            key.ImportFromPem(privateKeyPem);
            using var publicKey = certificate.GetRSAPublicKey();
            if (publicKey is not null && publicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
            {
                return new CertificateAuthority(certificate, key);
            }
        }
        catch
        {
            key.Dispose();
            certificate.Dispose();
            throw;
        }

        key.Dispose();
        certificate.Dispose();
        return null;
    }

    /// <summary>The SHA-256 fingerprint as openssl prints it (<c>AB:CD:…</c>), so the two can be compared by eye.</summary>
    public static string Fingerprint(X509Certificate2 certificate) =>
        string.Join(':', Convert.ToHexString(SHA256.HashData(certificate.RawData)).Chunk(2).Select(pair => new string(pair)));

    /// <summary>The CA's private key as unencrypted PKCS#8 PEM (what openssl writes as ca.key).</summary>
    public string ExportPrivateKeyPem() => _key.ExportPkcs8PrivateKeyPem();

    /// <summary>
    /// A node certificate with a fresh key, for every node (each dials and is dialled, so both server and
    /// client authentication), packed with the CA's certificate into a PKCS#12 file under <paramref name="password"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The CA itself has expired.</exception>
    /// <param name="password">The PKCS#12 file's password.</param>
    /// <param name="hostNames">The host names nodes dial each other by (the deployment's); <see cref="LocalHost"/> is added.</param>
    /// <param name="now">When it is issued.</param>
    public IssuedNodeCertificate IssueNode(string password, IReadOnlyList<string> hostNames, DateTimeOffset now)
    {
        var caNotAfter = new DateTimeOffset(Certificate.NotAfter);
        if (caNotAfter <= now)
        {
            throw new InvalidOperationException($"the CA {Certificate.Subject} expired on {Certificate.NotAfter.ToUniversalTime():u}; it cannot issue certificates.");
        }

        using var key = RSA.Create(KeyBits);
        var request = new CertificateRequest(NodeSubject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ServerAuth), new Oid(ClientAuth)], critical: false));
        var names = new SubjectAlternativeNameBuilder();
        foreach (var name in hostNames.Append(LocalHost).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            names.AddDnsName(name);
        }

        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        if (Certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Any())
        {
            // Only with the CA's key identifier to point at (openssl's CAs have one, so do ours).
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        }

        // Never past the CA's own end: a chain is only as valid as its shortest link.
        var notAfter = now + NodeLifetime < caNotAfter ? now + NodeLifetime : caNotAfter;
        var generator = X509SignatureGenerator.CreateForRSA(_key, RSASignaturePadding.Pkcs1);
        using var signed = request.Create(Certificate.SubjectName, generator, now - ClockSkew, notAfter, SerialNumber());
        using var node = signed.CopyWithPrivateKey(key);
        var bundle = new X509Certificate2Collection { node, Certificate };
        return new IssuedNodeCertificate(bundle.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, password), node.NotAfter);
    }

    public void Dispose()
    {
        _key.Dispose();
        Certificate.Dispose();
    }

    /// <summary>128 random bits, as a positive DER integer with no leading zero byte (RFC 5280 asks for unique, unpredictable, at most 20 bytes).</summary>
    private static byte[] SerialNumber()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x40);
        return serial;
    }
}
