using System.Buffers;
using System.Text;

namespace ActorPipeline.Samples.FileHasher;

/// <summary>One item's result: a file's SHA-256.</summary>
/// <param name="Path">The file's path relative to the root.</param>
/// <param name="Sha256">The digest, 64 lower-case hex digits.</param>
internal sealed record FileHash(string Path, string Sha256)
{
    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdef");
    private static readonly SearchValues<char> Escaped = SearchValues.Create("\\\n\r");

    /// <summary>
    /// The path as GNU <c>sha256sum</c> (coreutils 9) writes it: a backslash, a newline or a carriage return would
    /// break the one-line-per-file format, so those three are escaped and the line then starts with a backslash.
    /// </summary>
    public string EscapedPath => NeedsEscaping(Path)
        ? Path.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal)
        : Path;

    /// <summary>The line <c>sha256sum</c> prints for the file, with its line break: <c>&lt;digest&gt;  &lt;path&gt;</c>.</summary>
    public string ToChecksumLine()
    {
        var line = new StringBuilder(Sha256.Length + Path.Length + 4);
        if (NeedsEscaping(Path))
        {
            line.Append('\\');
        }

        return line.Append(Sha256).Append("  ").Append(EscapedPath).Append('\n').ToString();
    }

    /// <summary>The escaped path of a line <see cref="ToChecksumLine"/> wrote (without its line break), or null if it is not such a line.</summary>
    public static string? EscapedPathOf(string line)
    {
        var start = line.StartsWith('\\') ? 1 : 0;
        const int digits = 64;
        return line.Length > start + digits + 2
            && !line.AsSpan(start, digits).ContainsAnyExcept(HexDigits)
            && line.AsSpan(start + digits, 2) is "  "
            ? line[(start + digits + 2)..]
            : null;
    }

    private static bool NeedsEscaping(string path) => path.AsSpan().ContainsAny(Escaped);
}
