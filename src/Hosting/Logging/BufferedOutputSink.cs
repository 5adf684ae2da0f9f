using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace ActorPipeline.Hosting.Logging;

/// <summary>
/// Log events to a file or pipe (stdout redirected), formatted and written by a thread of its own
/// instead of on the actors' threads, in large blocks instead of one write per line, so that the
/// seed's per-item lines keep up with the run. The writer flushes whenever it has caught up, so a
/// quiet service's lines appear at once and a busy one's go out in blocks; when the queue is full,
/// loggers wait rather than a line being dropped. Disposing (the host does on exit, after the last
/// line) writes out everything queued; a process killed outright loses only what was still queued.
/// </summary>
/// <remarks>
/// Every log event of the process passes <see cref="Emit"/>, from many threads at once: the queue is
/// lock-free and the writer is woken only when it sleeps, because a lock per event (a bounded
/// channel's) was, with the seed's lines on, the busiest lock in the process.
/// </remarks>
internal sealed class BufferedOutputSink : ILogEventSink, IDisposable
{
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(10);

    private readonly ConcurrentQueue<LogEvent> _queue = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly object _roomGate = new();
    private readonly ITextFormatter _formatter;
    private readonly StreamWriter _writer;
    private readonly Thread _thread;
    private readonly int _capacity;
    private int _queued;
    private int _waitingForRoom;
    private int _writerSleeping;
    private volatile bool _completed;
    private bool _outputGone;

    public BufferedOutputSink(Stream output, ITextFormatter formatter, int capacity = 100_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _formatter = formatter;
        _capacity = capacity;
        _writer = new StreamWriter(output, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 64 * 1024) { AutoFlush = false };
        _thread = new Thread(Write) { IsBackground = true, Name = "log-writer" };
        _thread.Start();
    }

    public void Emit(LogEvent logEvent)
    {
        if (_completed)
        {
            return; // logged after the sink was disposed: nowhere left to write it
        }

        if (Volatile.Read(ref _queued) >= _capacity)
        {
            WaitForRoom(); // as a synchronous console write would have waited
        }

        _queue.Enqueue(logEvent);
        Interlocked.Increment(ref _queued);
        if (Volatile.Read(ref _writerSleeping) == 1 && Interlocked.Exchange(ref _writerSleeping, 0) == 1)
        {
            _wake.Release();
        }
    }

    public void Dispose()
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        _wake.Release();
        lock (_roomGate)
        {
            Monitor.PulseAll(_roomGate);
        }

        // A writer still busy after the limit keeps its stream: disposing it under the writer would throw there.
        if (_thread.Join(DrainLimit))
        {
            try
            {
                _writer.Dispose();
            }
            catch (IOException)
            {
                // The output is gone (a closed pipe): what was left in the buffer has nowhere to go.
            }
        }
    }

    private void WaitForRoom()
    {
        lock (_roomGate)
        {
            // Announced under the gate before the count is read: the writer, having taken events out,
            // either sees a waiter and pulses (which waits for this Wait), or this read sees the room.
            Interlocked.Increment(ref _waitingForRoom);
            while (Volatile.Read(ref _queued) >= _capacity && !_completed)
            {
                Monitor.Wait(_roomGate);
            }

            Interlocked.Decrement(ref _waitingForRoom);
        }
    }

    private void Write()
    {
        while (true)
        {
            var wrote = false;
            while (_queue.TryDequeue(out var logEvent))
            {
                Put(logEvent);
                wrote = true;
                // Loggers that found the queue full are woken once it is half empty, not at every event taken:
                // one wake per event had them all fighting over the gate with this thread.
                if (Interlocked.Decrement(ref _queued) <= _capacity / 2 && Volatile.Read(ref _waitingForRoom) > 0)
                {
                    lock (_roomGate)
                    {
                        Monitor.PulseAll(_roomGate);
                    }
                }
            }

            if (wrote)
            {
                Put(null); // caught up: what is written goes out now
            }

            if (_completed && _queue.IsEmpty)
            {
                return;
            }

            // Sleeping is announced before the queue is looked at again, and Emit enqueues before it
            // looks at the announcement: one of the two sees the other, so no event waits for a wake.
            Interlocked.Exchange(ref _writerSleeping, 1);
            if (_queue.IsEmpty && !_completed)
            {
                _wake.Wait();
            }

            Volatile.Write(ref _writerSleeping, 0);
        }
    }

    /// <summary>
    /// Writes an event (null: flushes). Once the output is gone (a closed pipe), events are only taken
    /// off the queue, so that loggers never wait on it and the thread does not die with the process.
    /// </summary>
    private void Put(LogEvent? logEvent)
    {
        if (_outputGone)
        {
            return;
        }

        try
        {
            if (logEvent is null)
            {
                _writer.Flush();
            }
            else
            {
                _formatter.Format(logEvent, _writer);
            }
        }
        catch (IOException)
        {
            _outputGone = true;
        }
    }
}
