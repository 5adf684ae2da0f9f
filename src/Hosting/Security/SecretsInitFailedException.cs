namespace ActorPipeline.Hosting.Security;

/// <summary><c>secrets init</c> cannot go on; the message names the file or argument to fix, never a secret.</summary>
internal sealed class SecretsInitFailedException(string message) : Exception(message);
