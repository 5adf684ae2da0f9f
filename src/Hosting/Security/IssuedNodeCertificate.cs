namespace ActorPipeline.Hosting.Security;

/// <summary>A node certificate as <see cref="CertificateAuthority.IssueNode"/> made it: the PKCS#12 file's bytes and when it expires.</summary>
internal sealed record IssuedNodeCertificate(byte[] Pfx, DateTime NotAfter);
