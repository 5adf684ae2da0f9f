using System.Diagnostics;
using StackExchange.Redis;

namespace ActorPipeline.Benchmarks;

/// <summary>
/// The pattern on a Redis stream with a consumer group, Redis's work queue with acknowledgements:
/// producers XADD (pipelined a batch at a time), consumers XREADGROUP up to a batch and XACK what they
/// got in one call; the run is over when every entry is acked. The client cannot block on XREADGROUP,
/// so an idle consumer polls every millisecond.
/// </summary>
public static class RedisLoad
{
    private const string Field = "v";

    public static async Task<LoadResult> RunAsync(int port, LoadSettings settings)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port}");
        var db = redis.GetDatabase();
        var stream = (RedisKey)$"bench-{Guid.NewGuid():N}";
        await db.StreamCreateConsumerGroupAsync(stream, "workers", StreamPosition.NewMessages, createStream: true);

        var latencies = new LatencySamples(settings);
        long acked = 0;
        using var stop = new CancellationTokenSource();
        var consumers = Enumerable.Range(0, settings.Consumers).Select(c => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var entries = await db.StreamReadGroupAsync(stream, "workers", $"consumer-{c}", StreamPosition.NewMessages, settings.Batch);
                if (entries.Length == 0)
                {
                    await Task.Delay(1);
                    continue;
                }

                foreach (var entry in entries)
                {
                    latencies.Record(BrokerItem.LatencyOf((byte[])entry[Field]!));
                }

                await db.StreamAcknowledgeAsync(stream, "workers", [.. entries.Select(e => e.Id)]);
                if (Interlocked.Add(ref acked, entries.Length) >= settings.Items)
                {
                    await stop.CancelAsync();
                }
            }
        })).ToArray();

        var started = Stopwatch.GetTimestamp();
        var producers = Enumerable.Range(0, settings.Producers).Select(p => Task.Run(() =>
            BrokerItem.PutAllAsync(settings.ShareOf(p), settings.Batch, p, body => db.StreamAddAsync(stream, Field, body)))).ToArray();

        await Task.WhenAll(producers);
        await Task.WhenAll(consumers);
        var elapsed = Stopwatch.GetElapsedTime(started);
        await db.KeyDeleteAsync(stream);
        var (p50, p99) = latencies.Percentiles();
        return new LoadResult(
            $"Redis stream {settings.Producers}P/{settings.Consumers}C (XREADGROUP/XACK)", settings.Items, elapsed.TotalSeconds, p50, p99,
            Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0);
    }
}
