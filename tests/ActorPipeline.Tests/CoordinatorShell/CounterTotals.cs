using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using ActorPipeline.Coordinator;

namespace ActorPipeline.Tests.CoordinatorShell;

/// <summary>
/// The totals of one <see cref="PipelineMetrics"/>'s counters by instrument name, read as an exporter reads
/// them (a <see cref="MeterListener"/>), from that instance's instruments only: other specs' meters in the
/// same process do not count.
/// </summary>
internal sealed class CounterTotals : IDisposable
{
    private readonly ConcurrentDictionary<string, long> _totals = new();
    private readonly MeterListener _listener;

    public CounterTotals(PipelineMetrics metrics)
    {
        Instrument[] counters =
        [
            metrics.Produced, metrics.Accepted, metrics.Delivered, metrics.Completed,
            metrics.Redelivered, metrics.DuplicateAcks, metrics.DeadLettered, metrics.Discarded,
        ];
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (counters.Contains(instrument))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => _totals.AddOrUpdate(instrument.Name, value, (_, total) => total + value));
        _listener.Start();
    }

    /// <summary>What the counter named <paramref name="name"/> (as an exporter shows it) added up to; 0 if it never moved.</summary>
    public long this[string name] => _totals.GetValueOrDefault(name);

    public void Dispose() => _listener.Dispose();
}
