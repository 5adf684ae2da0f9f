using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Akka.Event;

namespace ActorPipeline.Hosting.Security;

/// <summary>
/// Decides, during every TLS handshake in either direction, whether the peer is one of ours: its
/// certificate must chain to one of the configured CAs (or, with none configured, to the machine's trust
/// store), and with <see cref="TlsOptions.ValidateHostname"/> also name the host dialled. Every refusal is
/// logged with the peer and the reason, since a refused node otherwise only sees its link drop.
/// </summary>
internal sealed class TrustedPeerValidator(X509Certificate2Collection trustedCas, bool validateHostname)
{
    public bool Validate(X509Certificate2? certificate, X509Chain? chain, string remotePeer, SslPolicyErrors errors, ILoggingAdapter log)
    {
        if (certificate is null)
        {
            log.Warning("Refused TLS peer {0}: it presented no certificate.", remotePeer);
            return false;
        }

        if (validateHostname && errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            log.Warning("Refused TLS peer {0}: its certificate {1} does not name the host dialled.", remotePeer, certificate.Subject);
            return false;
        }

        if (trustedCas.Count == 0)
        {
            var chainErrors = errors & ~SslPolicyErrors.RemoteCertificateNameMismatch;
            if (chainErrors == SslPolicyErrors.None)
            {
                return true;
            }

            log.Warning("Refused TLS peer {0}: its certificate {1} is not trusted by this machine ({2}).", remotePeer, certificate.Subject, chainErrors);
            return false;
        }

        // Our own chain against our CAs only: the handshake's chain was built against the machine's store.
        using var ours = new X509Chain();
        ours.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        ours.ChainPolicy.CustomTrustStore.AddRange(trustedCas);

        // A private cluster CA publishes no revocation list; rotation replaces certificates instead (README, Security).
        ours.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            ours.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
        }

        if (ours.Build(certificate))
        {
            return true;
        }

        var reasons = string.Join("; ", ours.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
        log.Warning(
            "Refused TLS peer {0}: its certificate {1} (thumbprint {2}, issued by {3}) does not chain to a CA this cluster trusts: {4}",
            remotePeer, certificate.Subject, certificate.Thumbprint, certificate.Issuer, reasons);
        return false;
    }
}
