using System.Diagnostics;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace ActorPipeline.Benchmarks;

/// <summary>
/// The pattern on RabbitMQ, the usual way: a queue, producers publishing with publisher confirms (a put
/// is done once the broker has it, as ours is), consumers with manual acks and a prefetch of the
/// window, the run over when every message is acked. Producers await their confirms a batch at a time.
/// Durable: a durable queue and persistent messages, so a confirm means the broker has written the
/// message to disk — the promise the coordinator's SQLite journal makes before a put is accepted.
/// </summary>
public static class RabbitMqLoad
{
    public static async Task<LoadResult> RunAsync(int port, LoadSettings settings, bool durable)
    {
        var factory = new ConnectionFactory { HostName = "127.0.0.1", Port = port };
        await using var producerConnection = await factory.CreateConnectionAsync("bench-producers");
        await using var consumerConnection = await factory.CreateConnectionAsync("bench-consumers");
        var queue = $"bench-{Guid.NewGuid():N}";
        await using (var setup = await producerConnection.CreateChannelAsync())
        {
            await setup.QueueDeclareAsync(queue, durable: durable, exclusive: false, autoDelete: true);
        }

        var latencies = new LatencySamples(settings);
        long acked = 0;
        var allAcked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumerChannels = new List<IChannel>();
        for (var c = 0; c < settings.Consumers; c++)
        {
            var channel = await consumerConnection.CreateChannelAsync();
            await channel.BasicQosAsync(0, (ushort)Math.Min(settings.Window, ushort.MaxValue), global: false);
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += async (_, delivery) =>
            {
                latencies.Record(BrokerItem.LatencyOf(delivery.Body.Span));
                await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
                if (Interlocked.Increment(ref acked) == settings.Items)
                {
                    allAcked.TrySetResult();
                }
            };
            await channel.BasicConsumeAsync(queue, autoAck: false, consumer);
            consumerChannels.Add(channel);
        }

        var started = Stopwatch.GetTimestamp();
        var producers = Enumerable.Range(0, settings.Producers).Select(p => Task.Run(async () =>
        {
            var options = new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true);
            await using var channel = await producerConnection.CreateChannelAsync(options);
            var persistent = new BasicProperties { Persistent = true };
            await BrokerItem.PutAllAsync(
                settings.ShareOf(p),
                settings.Batch,
                p,
                body => durable
                    ? channel.BasicPublishAsync(string.Empty, queue, mandatory: false, persistent, body).AsTask()
                    : channel.BasicPublishAsync(string.Empty, queue, body).AsTask());
        })).ToArray();

        await Task.WhenAll(producers);
        await allAcked.Task;
        var elapsed = Stopwatch.GetElapsedTime(started);
        foreach (var channel in consumerChannels)
        {
            await channel.CloseAsync();
            channel.Dispose();
        }

        var (p50, p99) = latencies.Percentiles();
        return new LoadResult(
            $"RabbitMQ {(durable ? "durable, persistent" : "transient")} {settings.Producers}P/{settings.Consumers}C (confirms, prefetch {settings.Window})", settings.Items, elapsed.TotalSeconds, p50, p99,
            Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0);
    }
}
