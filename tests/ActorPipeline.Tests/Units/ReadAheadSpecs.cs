using System.Runtime.CompilerServices;
using ActorPipeline.Producers;

namespace ActorPipeline.Tests.Units;

/// <summary>
/// A producer's read-ahead, without an actor: a producer stopped while its source is mid-read (a journal outage
/// stops the producers while a source waits) ends the source cleanly once the cancelled read has finished,
/// instead of failing its stop with an async iterator's NotSupportedException.
/// </summary>
public sealed class ReadAheadSpecs
{
    [Fact]
    public async Task Should_end_a_source_that_is_mid_read_once_the_stop_has_cancelled_the_read()
    {
        using var stop = new CancellationTokenSource();
        var reader = new ReadAhead(WaitingSource(stop.Token).GetAsyncEnumerator(stop.Token), new ProducerOptions());
        var read = reader.Fill(1);
        Assert.NotNull(read); // the source had nothing at once: a read is under way

        var disposed = reader.DisposeAsync().AsTask();
        Assert.False(disposed.IsCompleted); // it waits for the read rather than disposing under it
        await stop.CancelAsync();

        await disposed;
        Assert.True(read.IsCanceled);
    }

    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> WaitingSource([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        yield return new byte[] { 1 };
    }
}
