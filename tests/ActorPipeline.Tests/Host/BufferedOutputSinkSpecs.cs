using System.Globalization;
using Serilog.Events;
using Serilog.Formatting.Display;
using Serilog.Parsing;

namespace ActorPipeline.Tests.Host;

/// <summary>
/// The sink the service's log goes through when stdout is a file or a pipe: every line out, in each
/// logger's order, by exit; a full queue makes loggers wait, never drops; a quiet service's line goes
/// out at once; a closed output never makes a logger wait.
/// </summary>
public sealed class BufferedOutputSinkSpecs
{
    private static readonly MessageTemplateTextFormatter Lines = new("{Thread} {N}{NewLine}", CultureInfo.InvariantCulture);
    private static readonly MessageTemplate Template = new MessageTemplateParser().Parse("{Thread} {N}");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Should_write_every_line_of_many_loggers_in_each_ones_order_by_the_time_it_is_disposed()
    {
        const int loggers = 8;
        const int each = 5_000;
        var output = new MemoryStream();
        var sink = new BufferedOutputSink(output, Lines, capacity: 64); // small: loggers also wait for room on the way

        await Task.WhenAll(Enumerable.Range(0, loggers).Select(t => Task.Run(
            () =>
            {
                for (var n = 0; n < each; n++)
                {
                    sink.Emit(Event(t, n));
                }
            },
            Ct)));
        sink.Dispose();

        var seen = new int[loggers];
        foreach (var line in Written(output))
        {
            var parts = line.Split(' ');
            var logger = int.Parse(parts[0], CultureInfo.InvariantCulture);
            Assert.Equal(seen[logger], int.Parse(parts[1], CultureInfo.InvariantCulture)); // this logger's next line, none skipped
            seen[logger]++;
        }

        Assert.All(seen, count => Assert.Equal(each, count));
    }

    [Fact]
    public async Task Should_make_a_logger_wait_while_the_queue_is_full_and_lose_none_of_its_lines()
    {
        var output = new GatedStream();
        var sink = new BufferedOutputSink(output, Lines, capacity: 4);

        var logging = Task.Run(
            () =>
            {
                for (var n = 0; n < 50; n++)
                {
                    sink.Emit(Event(0, n));
                }
            },
            Ct);
        await output.WriteStarted.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct); // the writer is stuck on the output

        // Four queued events and one on its way out are all the room there is: the logger must be waiting, not done.
        var first = await Task.WhenAny(logging, Task.Delay(TimeSpan.FromMilliseconds(300), Ct));
        Assert.False(first == logging, "the logger went on past a full queue: lines were dropped");

        output.Open();
        await logging.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        sink.Dispose();
        Assert.Equal(Enumerable.Range(0, 50).Select(n => $"0 {n}"), Written(output.Inner));
    }

    [Fact]
    public async Task Should_write_a_quiet_services_line_out_at_once_without_waiting_for_exit()
    {
        var output = new GatedStream();
        output.Open();
        using var sink = new BufferedOutputSink(output, Lines);

        sink.Emit(Event(3, 7));

        await output.WriteStarted.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(["3 7"], Written(output.Inner));
    }

    [Fact]
    public async Task Should_never_make_a_logger_wait_on_an_output_that_is_gone()
    {
        var sink = new BufferedOutputSink(new ClosedPipe(), Lines, capacity: 8);

        // Far more than the queue holds: were the writer dead or stuck, the logger would wait for room forever.
        var logging = Task.Run(
            () =>
            {
                for (var n = 0; n < 10_000; n++)
                {
                    sink.Emit(Event(0, n));
                }
            },
            Ct);

        await logging.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        sink.Dispose();
        sink.Emit(Event(0, 10_000)); // after disposal: ignored, not thrown
    }

    private static LogEvent Event(int thread, int n) => new(
        DateTimeOffset.UnixEpoch, LogEventLevel.Information, null, Template,
        [new LogEventProperty("Thread", new ScalarValue(thread)), new LogEventProperty("N", new ScalarValue(n))]);

    private static string[] Written(MemoryStream output)
    {
        lock (output)
        {
            return System.Text.Encoding.UTF8.GetString(output.ToArray()).Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        }
    }

    /// <summary>An output whose writes wait until it is opened; says when the first write arrives.</summary>
    private sealed class GatedStream : Stream
    {
        private readonly ManualResetEventSlim _open = new(false);

        public MemoryStream Inner { get; } = new();

        public TaskCompletionSource WriteStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public void Open() => _open.Set();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            var copy = buffer.ToArray();
            lock (Inner)
            {
                Inner.Write(copy);
            }

            WriteStarted.TrySetResult();
            _open.Wait();
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            _open.Set();
            base.Dispose(disposing);
        }
    }

    /// <summary>Stdout as a pipe whose reader has gone: every write fails.</summary>
    private sealed class ClosedPipe : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("Broken pipe");

        public override void Flush() => throw new IOException("Broken pipe");

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
