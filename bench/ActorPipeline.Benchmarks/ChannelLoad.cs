using System.Diagnostics;
using System.Security.Cryptography;
using System.Threading.Channels;

namespace ActorPipeline.Benchmarks;

/// <summary>
/// The same pattern on a bounded <see cref="Channel{T}"/>, with asyncio.Queue's join accounting added
/// (a channel has none): put counts an unfinished item, task_done uncounts it, join waits for zero
/// after every producer is done. The in-process yardstick a .NET user would hand-roll.
/// </summary>
public static class ChannelLoad
{
    public static async Task<LoadResult> RunAsync(LoadSettings settings)
    {
        await RoundAsync(settings.Warmup()); // warm code for the measured round, as the coordinator gets
        return await RoundAsync(settings);
    }

    private static async Task<LoadResult> RoundAsync(LoadSettings settings)
    {
        var channel = Channel.CreateBounded<(byte[] Item, long PutAt)>(new BoundedChannelOptions(settings.Capacity)
        {
            SingleReader = false,
            SingleWriter = false,
        });
        var latencies = new LatencySamples(settings);
        long unfinished = 0;
        var joined = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var producersDone = false;

        void TaskDone()
        {
            if (Interlocked.Decrement(ref unfinished) == 0 && Volatile.Read(ref producersDone))
            {
                joined.TrySetResult();
            }
        }

        var started = Stopwatch.GetTimestamp();
        var consumers = Enumerable.Range(0, settings.Consumers).Select(_ => Task.Run(async () =>
        {
            await foreach (var (_, putAt) in channel.Reader.ReadAllAsync())
            {
                latencies.Record(Stopwatch.GetElapsedTime(putAt));
                TaskDone();
            }
        })).ToArray();

        var producers = Enumerable.Range(0, settings.Producers).Select(p => Task.Run(async () =>
        {
            // The same pool of drawn payloads as the coordinator's producers: drawing them is not what is measured.
            var payloads = Enumerable.Range(0, 1024).Select(_ => RandomNumberGenerator.GetBytes(5)).ToArray();
            for (long i = 0; i < settings.ShareOf(p); i++)
            {
                Interlocked.Increment(ref unfinished);
                await channel.Writer.WriteAsync((payloads[i & 1023], Stopwatch.GetTimestamp()));
            }
        })).ToArray();

        await Task.WhenAll(producers);
        Volatile.Write(ref producersDone, true);
        if (Interlocked.Read(ref unfinished) == 0)
        {
            joined.TrySetResult();
        }

        await joined.Task;
        var elapsed = Stopwatch.GetElapsedTime(started);
        channel.Writer.Complete(); // cancels the consumers, as main does once join returns
        await Task.WhenAll(consumers);
        var (p50, p99) = latencies.Percentiles();
        return new LoadResult("Channel<T> bounded", settings.Items, elapsed.TotalSeconds, p50, p99, Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0);
    }
}
