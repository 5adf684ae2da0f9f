using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace ActorPipeline.Samples.FileHasher;

/// <summary>Hashes one file with SHA-256, streaming it (a file of any size takes a buffer's worth of memory).</summary>
internal sealed class HashFile(IOptions<HashingOptions> options) : IWorkHandler<FileToHash, FileHash>
{
    private const int BufferBytes = 64 * 1024;

    private readonly string _root = Path.GetFullPath(options.Value.Root);

    public async ValueTask<FileHash> HandleAsync(FileToHash item, WorkContext context)
    {
        FileStream file;
        try
        {
            file = new FileStream(Path.Combine(_root, item.Path), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete,
                BufferBytes, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // No retry brings it back: dead-lettered now, and the run exits 2 naming it.
            throw new PermanentItemFailureException($"{item.Path} was listed under {_root} but is gone.", e);
        }

        await using (file)
        {
            // Cancelled when this node stops: the item goes back to the queue and is hashed again later, whole.
            var digest = await SHA256.HashDataAsync(file, context.CancellationToken);
            return new FileHash(item.Path, Convert.ToHexStringLower(digest));
        }
    }
}
