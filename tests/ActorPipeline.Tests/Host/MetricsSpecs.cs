using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using ActorPipeline.Coordinator;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;

namespace ActorPipeline.Tests.Host;

/// <summary>The ActorPipeline meter after a known run, read the way an exporter reads it (a MeterListener).</summary>
public sealed class MetricsSpecs
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Should_count_what_the_run_did_and_leave_the_gauges_at_rest()
    {
        const int Consumers = 4;
        MeterListener? listening = null;
        await using var harness = new PipelineHarness(
            new Dictionary<string, string?>
            {
                ["Pipeline:Producers:Count"] = "3",
                ["Demo:Producers:MinItems"] = "10",
                ["Demo:Producers:MaxItems"] = "20",
                ["Demo:Producers:MaxDelay"] = "00:00:00.002",
                ["Pipeline:Consumers:Count"] = $"{Consumers}",
                ["Demo:Consumers:MaxDelay"] = "00:00:00.002",
                ["Pipeline:Persistence:Provider"] = "InMemory",
            },
            configure: services => services.AddSingleton<ILogEventSink>(new OnEvent(Templates.Joined, () => listening!.RecordObservableInstruments())));
        var meters = harness.Services.GetRequiredService<IMeterFactory>();
        var sums = new ConcurrentDictionary<string, double>();
        var recordings = new ConcurrentDictionary<string, int>();
        using var listener = new MeterListener
        {
            // Only this host's meter: other specs run their own hosts in the same process.
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == PipelineMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meters))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => Record(instrument, value));
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => Record(instrument, value));
        listener.Start();
        listening = listener;

        // The gauges are read once, when the run is over (the coordinator has reported its last figures) and
        // before the consumers are cancelled: every consumer is still known to the coordinator then, while
        // after the summary a tick may already have counted some of the cancelled ones out.
        await harness.StartAsync(Ct);
        var summary = await harness.Result.Summary;
        await harness.WaitForShutdownAsync(Ct);

        Assert.InRange(summary.Completed, 30, 60);
        Assert.Equal(summary.Produced, (long)sums["actorpipeline.items.produced"]);
        Assert.Equal(summary.Accepted, (long)sums["actorpipeline.items.accepted"]);
        Assert.Equal(summary.Completed, (long)sums["actorpipeline.items.completed"]);
        Assert.Equal(summary.Completed, (long)sums["actorpipeline.items.delivered"]); // nothing was redelivered
        Assert.False(sums.ContainsKey("actorpipeline.items.dead_lettered"));
        Assert.Equal((int)summary.Completed, recordings["actorpipeline.item.latency"]);
        Assert.Equal((int)summary.Completed, recordings["actorpipeline.item.processing"]);
        Assert.Equal(0, sums["actorpipeline.queue.depth"]);
        Assert.Equal(0, sums["actorpipeline.queue.unfinished"]);
        Assert.Equal(1, recordings["actorpipeline.queue.depth"]); // read once, at the run's end
        Assert.Equal(1, recordings["actorpipeline.consumers.connected"]);
        Assert.Equal(Consumers, sums["actorpipeline.consumers.connected"]); // every configured consumer asked for work

        void Record(Instrument instrument, double value)
        {
            sums.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value);
            recordings.AddOrUpdate(instrument.Name, 1, (_, n) => n + 1);
        }
    }

    /// <summary>Runs an action on the thread that logs an event with the given template (Serilog calls its sinks synchronously).</summary>
    private sealed class OnEvent(string template, Action action) : ILogEventSink
    {
        public void Emit(LogEvent logEvent)
        {
            if (logEvent.MessageTemplate.Text == template)
            {
                action();
            }
        }
    }
}
