namespace ActorPipeline.Producers;

/// <summary>
/// What a producer has read from its source and not put yet, and where the source stands: ready for the
/// next read, waiting for a read it could not answer at once, or ended. Kept apart from the producer's
/// phases (registering, producing, putting, stopping) so that none of them asks what the reader is doing:
/// the reader's own state is one value here, written only by the producer's thread.
/// </summary>
/// <param name="items">The source, already started.</param>
/// <param name="options">The batch size and byte budget that cut the ready items into puts.</param>
internal sealed class ReadAhead(IAsyncEnumerator<ReadOnlyMemory<byte>> items, ProducerOptions options) : IAsyncDisposable
{
    private readonly List<QueueItem> _ready = [];
    private Reading _reading = Reading.Ready;
    private int _singly; // items to put one per put: a batch refused as too large is split to find the culprit
    private Task? _pending; // the read under way, if one had to wait

    private enum Reading
    {
        /// <summary>The next read may start.</summary>
        Ready,

        /// <summary>A read is under way; its outcome comes back as a message.</summary>
        Waiting,

        /// <summary>The source ended (or failed): nothing more is read.</summary>
        Ended,
    }

    /// <summary>Items read and not taken for a put yet.</summary>
    public bool HasReady => _ready.Count > 0;

    /// <summary>The source ended and every item it gave was taken for a put: the producer is done.</summary>
    public bool Exhausted => _reading == Reading.Ended && _ready.Count == 0;

    /// <summary>
    /// Reads until <paramref name="wanted"/> items are ready: what the source has at once is taken at once,
    /// so a fast source fills a whole batch in one go. The first item it has to wait for is returned as a
    /// task (null at the end of the source) for the actor to pipe to itself; until that comes back through
    /// <see cref="Arrived"/> or <see cref="Ended"/>, nothing more is read.
    /// </summary>
    /// <returns>The read under way, or null if none had to wait.</returns>
    public Task<ReadOnlyMemory<byte>?>? Fill(int wanted)
    {
        DateTime? now = null; // one clock read for the items had at once: they are read within microseconds of each other
        while (_reading == Reading.Ready && _ready.Count < wanted)
        {
            var next = items.MoveNextAsync();
            if (!next.IsCompletedSuccessfully)
            {
                _reading = Reading.Waiting;
                var read = NextAsync(next, items);
                _pending = read;
                return read;
            }

            if (!next.Result)
            {
                _reading = Reading.Ended;
                break;
            }

            _ready.Add(new QueueItem(items.Current, now ??= DateTime.UtcNow));
        }

        return null;
    }

    /// <summary>The read under way brought an item.</summary>
    public void Arrived(ReadOnlyMemory<byte> payload)
    {
        _ready.Add(new QueueItem(payload, DateTime.UtcNow));
        _reading = Reading.Ready;
    }

    /// <summary>The read under way found the end of the source, or its failure.</summary>
    public void Ended() => _reading = Reading.Ended;

    /// <summary>
    /// Takes the items of the next put from the front: up to the batch size and the byte budget, and at
    /// least one; one alone while a batch refused as too large is being put again item by item.
    /// </summary>
    public QueueItem[] TakeBatch()
    {
        var count = _singly > 0 ? 1 : BatchFromReady();
        _singly = Math.Max(0, _singly - 1);
        QueueItem[] batch = [.. _ready.GetRange(0, count)];
        _ready.RemoveRange(0, count);
        return batch;
    }

    /// <summary>A batch refused whole as too large goes back in front, to be put one item per put, so that only the oversized one is left out.</summary>
    public void PutBackOneByOne(IReadOnlyList<QueueItem> batch)
    {
        _ready.InsertRange(0, batch);
        _singly = batch.Count;
    }

    /// <summary>
    /// Ends the source. An async iterator refuses to be disposed while a read is under way (NotSupportedException,
    /// seen when a journal outage stopped the producers mid-read), so a read still pending, which the producer's
    /// stop has cancelled, is let finish first; how it finished no longer matters.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_pending is { IsCompleted: false } pending)
        {
            await pending.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await items.DisposeAsync();
    }

    private static async Task<ReadOnlyMemory<byte>?> NextAsync(ValueTask<bool> next, IAsyncEnumerator<ReadOnlyMemory<byte>> source) =>
        await next ? source.Current : null;

    /// <summary>How many of the ready items the next put takes: up to the batch size and the byte budget, and at least one.</summary>
    private int BatchFromReady()
    {
        var count = Math.Min(options.BatchSize, _ready.Count);
        if (options.MaxPutBytes is not { } budget)
        {
            return count;
        }

        var bytes = 0L;
        for (var i = 0; i < count; i++)
        {
            bytes += _ready[i].Payload.Length + ProducerOptions.PerItemPutBytes;
            if (bytes > budget)
            {
                return Math.Max(1, i); // an item over the budget alone still goes, and the coordinator says whether it is too large
            }
        }

        return count;
    }
}
