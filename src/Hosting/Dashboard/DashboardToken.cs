using System.Security.Cryptography;
using System.Text;

namespace ActorPipeline.Hosting.Dashboard;

/// <summary>The check on a requeue's <c>Authorization: Bearer</c> header.</summary>
internal static class DashboardToken
{
    /// <summary>
    /// Whether the header carries the token. Both sides are hashed first, so the comparison takes the same
    /// time whatever the guess and says nothing about the token's length.
    /// </summary>
    public static bool Matches(string expected, string? authorization)
    {
        const string Scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var given = SHA256.HashData(Encoding.UTF8.GetBytes(authorization[Scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(given, SHA256.HashData(Encoding.UTF8.GetBytes(expected.Trim()))); // trimmed alike
    }
}
