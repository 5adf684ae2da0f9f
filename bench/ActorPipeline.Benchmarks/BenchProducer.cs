using System.Diagnostics;
using ActorPipeline.Coordinator;
using Akka.Actor;
using static ActorPipeline.Coordinator.QueueProtocol;

namespace ActorPipeline.Benchmarks;

/// <summary>
/// A producer speaking the real protocol at full speed: puts of <see cref="LoadSettings.Batch"/> items,
/// several in flight (up to the window), each item stamped with its put time; reports to its parent
/// when every item it owns is accepted.
/// </summary>
public sealed class BenchProducer : ReceiveActor, IWithTimers
{
    private readonly string _id;
    private readonly IActorRef _coordinator;
    private readonly LoadSettings _settings;
    private readonly IActorRef _report;
    private readonly byte[][] _payloads;
    private long _toPut;
    private long _accepted;
    private long _sequenceNr;
    private int _inFlight;
    private long _started;
    private readonly long _share;

    public BenchProducer(int index, IActorRef coordinator, LoadSettings settings, IActorRef report, string round)
    {
        // The round in the id: a journaled coordinator remembers earlier rounds' producers, and would take their puts for resends.
        _id = $"{round}-producer-{index}";
        _coordinator = coordinator;
        _settings = settings;
        _report = report;
        _share = _toPut = settings.ShareOf(index);

        // Payloads drawn once: the seed's item is 5 random bytes, and drawing them is not what is measured.
        var random = new Random(index);
        _payloads = [.. Enumerable.Range(0, 1024).Select(_ => { var bytes = new byte[5]; random.NextBytes(bytes); return bytes; })];
        Receive<PutAccepted>(HandleAccepted);
        Receive<Tick>(_ =>
        {
            // Paced: every tick puts the batches that fell due since the start (the scheduler's ticks are
            // coarse, ~10 ms), as long as the window has room.
            var due = (long)(_settings.Rate / (double)_settings.Producers * Stopwatch.GetElapsedTime(_started).TotalSeconds);
            while (_toPut > 0 && _inFlight < InFlightLimit && (_share - _toPut) < due)
            {
                PutNext();
            }
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    // Paced, the rate is the limit; puts in flight are bounded only against a stalled queue.
    private int InFlightLimit => _settings.Rate > 0 ? 100 : Math.Max(1, _settings.Window / _settings.Batch);

    public static Props Props(int index, IActorRef coordinator, LoadSettings settings, IActorRef report, string round = "bench") =>
        Akka.Actor.Props.Create(() => new BenchProducer(index, coordinator, settings, report, round));

    protected override void PreStart()
    {
        if (_settings.Rate > 0)
        {
            _started = Stopwatch.GetTimestamp();
            Timers.StartPeriodicTimer("pace", Tick.Instance, TimeSpan.FromMilliseconds(1));
        }
        else
        {
            for (var i = 0; i < InFlightLimit && _toPut > 0; i++)
            {
                PutNext();
            }
        }

        if (_share == 0)
        {
            _report.Tell(new ProducerFinished(_id));
        }
    }

    private void HandleAccepted(PutAccepted accepted)
    {
        _accepted += accepted.Count;
        _inFlight--;
        if (_toPut > 0 && _settings.Rate == 0)
        {
            PutNext();
        }
        else if (_accepted == _share)
        {
            _report.Tell(new ProducerFinished(_id));
        }
    }

    private void PutNext()
    {
        var count = (int)Math.Min(_toPut, _settings.Batch);
        _toPut -= count;
        var items = new QueueItem[count];
        var now = DateTime.UtcNow;
        for (var i = 0; i < count; i++)
        {
            items[i] = new QueueItem(_payloads[(_sequenceNr + i) & 1023], now);
        }

        _inFlight++;
        _coordinator.Tell(new Put(_id, ++_sequenceNr, items));
    }

    public sealed record ProducerFinished(string ProducerId);

    private sealed class Tick
    {
        public static readonly Tick Instance = new();
        private Tick() { }
    }
}
