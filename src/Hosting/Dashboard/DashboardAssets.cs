using System.Collections.Frozen;
using System.Security.Cryptography;

namespace ActorPipeline.Hosting.Dashboard;

/// <summary>
/// The page's files, embedded in this assembly (wwwroot/, see the project file): nothing is fetched from
/// anywhere else, so the page works on a machine with no internet and its content is what was built.
/// </summary>
internal static class DashboardAssets
{
    private const string Prefix = "dashboard/";

    /// <summary>Each file by the path it is served under, with its content type and a tag for revalidation.</summary>
    public static FrozenDictionary<string, (byte[] Content, string ContentType, string ETag)> Files { get; } = Load();

    private static FrozenDictionary<string, (byte[] Content, string ContentType, string ETag)> Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var files = new Dictionary<string, (byte[], string, string)>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var content = copy.ToArray();
            var file = name[Prefix.Length..];
            var path = file == "index.html" ? "/" : "/" + file;
            files[path] = (content, ContentTypeOf(file), $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..16]}\"");
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string ContentTypeOf(string file) => Path.GetExtension(file) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
}
