using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ActorPipeline.Hosting.Security;

/// <summary>
/// TLS on the links between nodes. Bound from <c>Cluster:Tls</c>. Off by default: the embedded single
/// node talks to nobody. On, every node presents a certificate and accepts only peers whose certificate
/// chains to <see cref="TrustedCaPath"/> (mutual authentication), so a machine without one cannot join.
/// </summary>
internal sealed class TlsOptions : IValidatableObject
{
    /// <summary>Encrypt and authenticate node links; seeds are then <c>akka.ssl.tcp://</c> addresses.</summary>
    /// <value>Default false.</value>
    public bool Enabled { get; set; }

    /// <summary>PKCS#12 (.pfx) file with this node's certificate and private key.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PFX file's password. Prefer <see cref="CertificatePasswordFile"/> or an environment variable to a file in the image; never logged.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>A file holding the PFX password (a compose or Kubernetes secret); its trailing line break is ignored.</summary>
    public string? CertificatePasswordFile { get; set; }

    /// <summary>Instead of a file: the thumbprint of a certificate with private key in the store named by <see cref="StoreName"/> and <see cref="StoreLocation"/>.</summary>
    public string? CertificateThumbprint { get; set; }

    /// <summary>Certificate store to look the thumbprint up in.</summary>
    /// <value>Default My.</value>
    public StoreName StoreName { get; set; } = StoreName.My;

    /// <summary>Store location to look the thumbprint up in.</summary>
    /// <value>Default CurrentUser.</value>
    public StoreLocation StoreLocation { get; set; } = StoreLocation.CurrentUser;

    /// <summary>
    /// PEM file with the certificate authorities whose certificates this cluster trusts (several during a
    /// CA rotation). Unset: the machine's trust store, which trusts every public CA; set it.
    /// </summary>
    public string? TrustedCaPath { get; set; }

    /// <summary>Also require the certificate of the node dialled to name the host dialled (CN/SAN).</summary>
    /// <value>Default false: nodes are recognised by the CA that signed them, not by name.</value>
    public bool ValidateHostname { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(CertificatePath) == string.IsNullOrWhiteSpace(CertificateThumbprint))
        {
            yield return new ValidationResult("TLS needs this node's certificate: set either CertificatePath or CertificateThumbprint.", [nameof(CertificatePath)]);
            yield break;
        }

        if (SecretFile.BothGiven(CertificatePassword, CertificatePasswordFile, nameof(CertificatePassword), nameof(CertificatePasswordFile)) is { } both)
        {
            yield return both;
            yield break;
        }

        // Loaded now, so a wrong path, password or file stops start-up with the key to fix.
        var problem = TryLoad(out var certificate, out _);
        certificate?.Dispose();
        if (problem is not null)
        {
            yield return problem;
        }
    }

    /// <summary>This node's certificate and the CAs it trusts; throws with a message naming the key if either cannot be read.</summary>
    public (X509Certificate2 Certificate, X509Certificate2Collection TrustedCas) Load()
    {
        var problem = TryLoad(out var certificate, out var trusted);
        return problem is null
            ? (certificate!, trusted!)
            : throw new InvalidOperationException($"{NodeOptions.SectionName}:Tls:{problem.MemberNames.First()}: {problem.ErrorMessage}");
    }

    private ValidationResult? TryLoad(out X509Certificate2? certificate, out X509Certificate2Collection? trusted)
    {
        trusted = null;
        var problem = CertificateThumbprint is { Length: > 0 } ? FromStore(out certificate) : FromFile(out certificate);
        if (problem is not null)
        {
            return problem;
        }

        if (!certificate!.HasPrivateKey)
        {
            return Fail("holds no private key for the certificate; a node must be able to prove it owns it.", ref certificate);
        }

        if (certificate.NotAfter < DateTime.Now)
        {
            return Fail($"the certificate expired on {certificate.NotAfter.ToUniversalTime():u}.", ref certificate);
        }

        trusted = [];
        if (TrustedCaPath is not { Length: > 0 })
        {
            return null;
        }

        try
        {
            trusted.ImportFromPemFile(TrustedCaPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            certificate.Dispose();
            certificate = null;
            return new ValidationResult($"cannot read '{TrustedCaPath}' as PEM certificates: {e.Message}", [nameof(TrustedCaPath)]);
        }

        return trusted.Count > 0 ? null
            : new ValidationResult($"'{TrustedCaPath}' holds no PEM certificate.", [nameof(TrustedCaPath)]);
    }

    private ValidationResult? FromFile(out X509Certificate2? certificate)
    {
        certificate = null;
        string? password;
        try
        {
            password = CertificatePasswordFile is { Length: > 0 } file ? SecretFile.Read(file) : CertificatePassword;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new ValidationResult($"cannot read the password file '{CertificatePasswordFile}': {e.Message}", [nameof(CertificatePasswordFile)]);
        }

        if (!File.Exists(CertificatePath))
        {
            // Checked first: the loader reports a missing file as a cryptographic error, which would blame the password.
            return new ValidationResult($"cannot read '{CertificatePath}': no such file.", [nameof(CertificatePath)]);
        }

        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(CertificatePath, password);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new ValidationResult($"cannot read '{CertificatePath}': {e.Message}", [nameof(CertificatePath)]);
        }
        catch (CryptographicException)
        {
            // The exception's text is the platform's and says nothing more useful; the password is never part of it or of ours.
            return new ValidationResult(
                $"cannot open '{CertificatePath}' as a PKCS#12 (.pfx) file with the configured password; check the file and {nameof(CertificatePassword)}/{nameof(CertificatePasswordFile)}.",
                [nameof(CertificatePath)]);
        }
    }

    private ValidationResult? FromStore(out X509Certificate2? certificate)
    {
        using var store = new X509Store(StoreName, StoreLocation);
        try
        {
            store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
        }
        catch (CryptographicException e)
        {
            certificate = null;
            return new ValidationResult($"cannot open the {StoreLocation}/{StoreName} certificate store: {e.Message}", [nameof(StoreName)]);
        }

        var found = store.Certificates.Find(X509FindType.FindByThumbprint, CertificateThumbprint!, validOnly: false);
        certificate = found.Count > 0 ? found[0] : null;
        return certificate is not null ? null
            : new ValidationResult($"no certificate with thumbprint {CertificateThumbprint} in the {StoreLocation}/{StoreName} store.", [nameof(CertificateThumbprint)]);
    }

    private ValidationResult Fail(string problem, ref X509Certificate2? certificate)
    {
        var key = CertificateThumbprint is { Length: > 0 } ? nameof(CertificateThumbprint) : nameof(CertificatePath);
        certificate?.Dispose();
        certificate = null;
        return new ValidationResult(problem, [key]);
    }
}
