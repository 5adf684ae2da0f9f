using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;

namespace ActorPipeline.Samples.FileHasher;

/// <summary>
/// Every regular file under <see cref="HashingOptions.Root"/>, shared among the node's producers.
/// </summary>
/// <remarks>
/// Every producer on a node reads this one source (<c>Pipeline:Producers:Count</c> of them), so each takes its own
/// share of one listing: file <c>i</c> of the ordinal-sorted listing goes to producer <c>i % Count</c>. Without the
/// partition every producer would put every file and each would be hashed Count times. The listing is sorted so
/// that it is the same sequence again after a restart: <see cref="SourceContext.Skip"/> counts this producer's
/// files the queue accepted before the restart, and only the same order makes "the first Skip of mine" the same files.
/// (A file added or removed between the two runs shifts the partitions; the resumed run then puts a neighbour of it
/// twice or not at all. Hash a tree that holds still.)
/// </remarks>
internal sealed class FileSource(IOptions<HashingOptions> options) : IItemSource<FileToHash>
{
    // One listing per process for every producer: partitions of two listings taken at different moments could
    // overlap or leave a gap if the tree changed in between.
    private readonly Lazy<Task<string[]>> _listing = new(() => Task.Run(() => List(options.Value.Root)));

    public async IAsyncEnumerable<FileToHash> ReadAsync(SourceContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var files = await _listing.Value.WaitAsync(cancellationToken);
        long mine = 0;
        for (var i = context.Index; i < files.Length; i += context.Count)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (mine++ < context.Skip)
            {
                continue; // put before the restart
            }

            yield return new FileToHash(files[i]);
        }
    }

    /// <summary>The relative paths of the regular files under <paramref name="root"/>, in ordinal order.</summary>
    private static string[] List(string root)
    {
        var full = Path.GetFullPath(root);
        var enumeration = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            // Hidden files are files too (the default skips them); symbolic links are not followed, as find -type f.
            AttributesToSkip = FileAttributes.ReparsePoint,
            // An unreadable folder fails the source (exit 4) rather than leaving its files out unnoticed.
            IgnoreInaccessible = false,
        };
        var files = Directory.EnumerateFiles(full, "*", enumeration).Select(path => Path.GetRelativePath(full, path)).ToArray();
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }
}
