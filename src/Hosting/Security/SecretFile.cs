namespace ActorPipeline.Hosting.Security;

/// <summary>
/// Reads a secret kept in a file of its own (a compose, Docker or Kubernetes secret), so that it need not
/// sit in an environment variable, where <c>docker inspect</c> and process listings show it.
/// </summary>
internal static class SecretFile
{
    /// <summary>The file's text without its trailing line break (editors and <c>echo</c> add one).</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read by this user.</exception>
    public static string Read(string path) => File.ReadAllText(path).TrimEnd('\r', '\n');

    /// <summary>
    /// The one rule for a secret that can be given inline or as a file (a compose secret): not both, since which
    /// one wins would be a guess. The failure names the file's key.
    /// </summary>
    public static System.ComponentModel.DataAnnotations.ValidationResult? BothGiven(string? value, string? file, string valueKey, string fileKey) =>
        !string.IsNullOrEmpty(value) && !string.IsNullOrEmpty(file)
            ? new System.ComponentModel.DataAnnotations.ValidationResult($"set {valueKey} or {fileKey}, not both.", [fileKey])
            : null;
}
