using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Win32.SafeHandles;

namespace ActorPipeline.Samples.FileHasher;

/// <summary>
/// The results file: one <c>sha256sum</c> line per file, each item written once even though the pipeline may hand a
/// result over more than once (a redelivery after a consumer stopped between writing and marking the item done).
/// </summary>
/// <remarks>
/// <para>
/// <c>sha256sum</c>'s format has no room for an item id, so <c>&lt;Output&gt;.ids</c> holds one id per line: line
/// <c>k</c> of it is the item of line <c>k</c> of the output. A result is written as its hash line and then its id
/// line; the id line is what commits it. On start-up both files are read back, every id they hold is remembered
/// (so a redelivered item is not written again, even by another process over the same files), and an output line
/// without its id (the process died between the two writes) is cut off: its item was not marked done, so it comes
/// again and is written then.
/// </para>
/// <para>
/// Each line goes straight to the operating system (no buffer of ours), so a process that dies loses nothing it
/// wrote; a power cut could lose the last lines, which would need an fsync per line.
/// </para>
/// </remarks>
internal sealed class HashesFile : IResultSink<FileHash>, IDisposable
{
    // Consumers write concurrently; a write is two appends that must stay paired.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _outputPath;
    private readonly ILogger<HashesFile> _log;
    private readonly SafeFileHandle _output;
    private readonly SafeFileHandle _ids;

    // Item id → the escaped path of its line, to tell a redelivery from an output that belongs to another journal.
    private readonly Dictionary<long, string> _written = [];
    private long _outputLength;
    private long _idsLength;

    public HashesFile(IOptions<HashingOptions> options, ILogger<HashesFile> log)
    {
        _log = log;
        _outputPath = Path.GetFullPath(options.Value.Output);
        var idsPath = Path.GetFullPath(options.Value.IdsPath);

        // FileShare.None: a second FileHasher on the same output is refused instead of interleaving its lines.
        _output = File.OpenHandle(_outputPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        try
        {
            _ids = File.OpenHandle(idsPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch
        {
            _output.Dispose();
            throw;
        }

        try
        {
            Recover(idsPath);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public async ValueTask WriteAsync(ItemResult<FileHash> result, CancellationToken cancellationToken)
    {
        var hash = result.Value;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_written.TryGetValue(result.ItemId, out var written))
            {
                if (written == hash.EscapedPath)
                {
                    // A redelivery (its consumer stopped after this write, before the item was marked done).
                    HashesFileLog.CameAgain(_log, result.ItemId, hash.Path, result.DeliveryCount);
                    return;
                }

                throw new PermanentItemFailureException(
                    $"{_outputPath} already holds item {result.ItemId}, as {written}, not {hash.EscapedPath}: it was written with another journal. " +
                    "Move it and its .ids file away, or give Hashing:Output a new name, and start again.");
            }

            var line = Encoding.UTF8.GetBytes(hash.ToChecksumLine());
            var id = Encoding.UTF8.GetBytes(result.ItemId.ToString(CultureInfo.InvariantCulture) + "\n");
            try
            {
                // Not cancellable: stopping between the two appends would leave a line without its id.
                await RandomAccess.WriteAsync(_output, line, _outputLength, CancellationToken.None);
                await RandomAccess.WriteAsync(_ids, id, _idsLength, CancellationToken.None);
            }
            catch
            {
                // A full disk or the like: take back whatever part got through, so the files stay paired line for
                // line; the attempt fails and the item is retried.
                RandomAccess.SetLength(_output, _outputLength);
                RandomAccess.SetLength(_ids, _idsLength);
                throw;
            }

            _outputLength += line.Length;
            _idsLength += id.Length;
            _written.Add(result.ItemId, hash.EscapedPath);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _output.Dispose();
        _ids.Dispose();
        _gate.Dispose();
    }

    private void Recover(string idsPath)
    {
        var lines = CompleteLines(_output);
        var ids = CompleteLines(_ids);
        if (ids.Count > lines.Count)
        {
            throw new InvalidDataException(
                $"{idsPath} records {ids.Count} items but {_outputPath} holds only {lines.Count} lines: the output was cut short or edited. " +
                "Move both away and start again with a fresh data folder.");
        }

        for (var k = 0; k < ids.Count; k++)
        {
            var path = FileHash.EscapedPathOf(lines[k].Text)
                ?? throw new InvalidDataException($"Line {k + 1} of {_outputPath} is not a sha256sum line; the file was edited.");
            if (!long.TryParse(ids[k].Text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || !_written.TryAdd(id, path))
            {
                throw new InvalidDataException($"Line {k + 1} of {idsPath} is not the id of a new item; the file was edited.");
            }
        }

        _outputLength = ids.Count == 0 ? 0 : lines[ids.Count - 1].End;
        _idsLength = ids.Count == 0 ? 0 : ids[^1].End;
        var uncommitted = RandomAccess.GetLength(_output) - _outputLength;
        if (uncommitted > 0 || RandomAccess.GetLength(_ids) > _idsLength)
        {
            HashesFileLog.CutUnrecorded(_log, uncommitted, _outputPath);
            RandomAccess.SetLength(_output, _outputLength);
            RandomAccess.SetLength(_ids, _idsLength);
        }

        if (_written.Count > 0)
        {
            HashesFileLog.Appending(_log, _outputPath, _written.Count);
        }
    }

    /// <summary>The lines that end in a line break, each with the offset just after it; a partial last line is left out.</summary>
    private static List<(string Text, long End)> CompleteLines(SafeFileHandle file)
    {
        var bytes = new byte[RandomAccess.GetLength(file)];
        for (var read = 0; read < bytes.Length;)
        {
            var n = RandomAccess.Read(file, bytes.AsSpan(read), read);
            read += n > 0 ? n : throw new EndOfStreamException("The file got shorter while it was being read.");
        }

        var lines = new List<(string, long)>();
        var start = 0;
        for (var end = Array.IndexOf(bytes, (byte)'\n'); end >= 0; end = Array.IndexOf(bytes, (byte)'\n', start))
        {
            lines.Add((Encoding.UTF8.GetString(bytes, start, end - start), end + 1));
            start = end + 1;
        }

        return lines;
    }
}
