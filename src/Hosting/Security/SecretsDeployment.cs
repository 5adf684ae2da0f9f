namespace ActorPipeline.Hosting.Security;

/// <summary>
/// What a deployment names that its secrets must agree with: compose's services, given to <c>secrets init</c>
/// by compose itself (docker-compose.yml), so that no service name is written into this code.
/// </summary>
/// <param name="NodeHosts">The host names nodes dial each other by: the node certificate is issued for them (and localhost).</param>
/// <param name="JournalConnection">The journal's connection string without a password (the password is made here); null if none is given.</param>
internal sealed record SecretsDeployment(IReadOnlyList<string> NodeHosts, string? JournalConnection);
