using System.Threading.Channels;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace ActorPipeline.Host;

/// <summary>
/// Log events to a file or pipe (stdout redirected), formatted and written by a background task of
/// its own instead of on the actors' threads, in large blocks instead of one write per line, so that
/// the seed's per-item lines keep up with the run. The task flushes whenever it has caught up, so a
/// quiet service's lines appear at once and a busy one's go out in blocks; when the queue is full,
/// loggers wait rather than a line being dropped. Disposing (the host does on exit, after the last
/// line) writes out everything queued; a process killed outright loses only what was still queued.
/// </summary>
public sealed class BufferedOutputSink : ILogEventSink, IDisposable
{
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(10);

    private readonly Channel<LogEvent> _queue;
    private readonly ITextFormatter _formatter;
    private readonly StreamWriter _writer;
    private readonly Task _worker;

    public BufferedOutputSink(Stream output, ITextFormatter formatter, int capacity = 100_000)
    {
        _formatter = formatter;
        _writer = new StreamWriter(output, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 64 * 1024) { AutoFlush = false };
        _queue = Channel.CreateBounded<LogEvent>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _worker = Task.Run(WriteAsync);
    }

    public void Emit(LogEvent logEvent)
    {
        if (!_queue.Writer.TryWrite(logEvent))
        {
            // Full: wait for room (or find the sink closed), as a synchronous console write would have waited.
            try
            {
                _queue.Writer.WriteAsync(logEvent).AsTask().GetAwaiter().GetResult();
            }
            catch (ChannelClosedException)
            {
                // Logged after the sink was disposed: nowhere left to write it.
            }
        }
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _worker.Wait(DrainLimit);
        _writer.Dispose();
    }

    private async Task WriteAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var logEvent))
            {
                _formatter.Format(logEvent, _writer);
            }

            await _writer.FlushAsync().ConfigureAwait(false); // caught up: what is written goes out now
        }
    }
}
