using System.Diagnostics;

namespace ActorPipeline.Tests.Host;

/// <summary>
/// Makes a file or folder read-only for the Host the spec starts, and writable again when disposed.
/// A user's chmod is not enough where the specs run as root (root writes through it), so there the
/// immutable flag (chattr +i) is set instead, which binds root too.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class ReadOnlyPath : IDisposable
{
    private readonly string _path;
    private readonly UnixFileMode _mode;
    private readonly bool _immutable;

    public ReadOnlyPath(string path)
    {
        _path = path;
        _mode = File.GetUnixFileMode(path);
        File.SetUnixFileMode(path, Directory.Exists(path) ? UnixFileMode.UserRead | UnixFileMode.UserExecute : UnixFileMode.UserRead);
        if (Writable(path))
        {
            _immutable = Chattr("+i", path);
            Assert.SkipUnless(_immutable && !Writable(path), $"cannot make {path} read-only for this user (root, without chattr)");
        }
    }

    public void Dispose()
    {
        if (_immutable)
        {
            Chattr("-i", _path);
        }

        File.SetUnixFileMode(_path, _mode);
    }

    private static bool Writable(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                using var probe = File.Create(Path.Combine(path, ".probe"), 1, FileOptions.DeleteOnClose);
            }
            else
            {
                using var probe = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
            }

            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool Chattr(string flag, string path)
    {
        try
        {
            using var chattr = Process.Start(new ProcessStartInfo("chattr", [flag, path]) { RedirectStandardError = true })!;
            chattr.WaitForExit();
            return chattr.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no chattr here
        }
    }
}
