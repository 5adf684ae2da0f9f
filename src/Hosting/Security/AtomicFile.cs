using System.Text;

namespace ActorPipeline.Hosting.Security;

/// <summary>
/// Writes a file whole or not at all: the bytes go to a temporary file in the same folder (so the rename
/// stays on one file system and is atomic), flushed to disk, given its mode, then renamed over the
/// target. A crash leaves the old file or the new one, never half of one; at worst a stray
/// <c>.name.*.tmp</c> beside it, which nothing reads.
/// </summary>
internal static class AtomicFile
{
    /// <summary>0644: readable by the other containers' users (postgres is uid 999, the app 1654).</summary>
    public const UnixFileMode Shared = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>0600: this user only.</summary>
    public const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void WriteText(string path, string text, UnixFileMode mode) => Write(path, Encoding.UTF8.GetBytes(text), mode);

    public static void Write(string path, ReadOnlySpan<byte> bytes, UnixFileMode mode)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = Private; // nobody else reads a secret while it is being written
            }

            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, mode); // a chmod, so the umask cannot narrow it as it does the create mode
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
