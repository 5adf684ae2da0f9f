using ActorPipeline.Coordinator;
using Akka.Actor;
using Akka.Configuration;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Benchmarks;

/// <summary>
/// The coordinator's hot path per item: accepted from a put, delivered, marked done, every step
/// journaled (in-memory journal), at one item per message and with items sharing messages. One driver
/// is producer and consumer at once, so the figure is the coordinator's own cost, not contention.
/// </summary>
[MemoryDiagnoser]
public class CoordinatorBenchmarks
{
    private const int ItemsPerRound = 10_000;
    private ActorSystem _system = null!;
    private IActorRef _driver = null!;

    [Params(1, 10, 100)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _system = ActorSystem.Create("coordinator-bench", ConfigurationFactory.ParseString("""
            akka.loglevel = WARNING
            akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
            akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
            """));
        var options = new QueueOptions { MaxDeliveryBatch = Batch, ProgressInterval = TimeSpan.Zero, ExpectedProducers = 0 };
        var coordinator = _system.ActorOf(CoordinatorActor.Props(options, NullLogger<CoordinatorActor>.Instance), "coordinator");
        _driver = _system.ActorOf(Props.Create(() => new Driver(coordinator, Batch)), "driver");
    }

    [GlobalCleanup]
    public void Cleanup() => _system.Terminate().Wait();

    [Benchmark(OperationsPerInvoke = ItemsPerRound)]
    public Task PutGetTaskDone()
    {
        var round = new Round(ItemsPerRound, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        _driver.Tell(round);
        return round.Done.Task;
    }

    private sealed record Round(int Items, TaskCompletionSource Done);

    /// <summary>Puts a round's items (ten puts in flight) and marks each delivery done at once, batch by batch.</summary>
    private sealed class Driver : ReceiveActor
    {
        private readonly byte[] _payload = [1, 2, 3, 4, 5];
        private long _sequenceNr;
        private int _toPut;
        private int _left;
        private Round? _round;

        public Driver(IActorRef coordinator, int batch)
        {
            coordinator.Tell(new RequestWork(batch * 10));
            Receive<Round>(round =>
            {
                (_round, _toPut, _left) = (round, round.Items, round.Items);
                for (var i = 0; i < 10 && _toPut > 0; i++)
                {
                    PutNext(coordinator, batch);
                }
            });
            Receive<PutAccepted>(_ =>
            {
                if (_toPut > 0)
                {
                    PutNext(coordinator, batch);
                }
            });
            Receive<Delivery>(delivery =>
            {
                var ids = new long[delivery.Items.Count];
                for (var i = 0; i < ids.Length; i++)
                {
                    ids[i] = delivery.Items[i].DeliveryId;
                }

                coordinator.Tell(new TaskDone(ids));
                _left -= ids.Length;
                if (_left == 0)
                {
                    _round?.Done.TrySetResult();
                }
            });
        }

        private void PutNext(IActorRef coordinator, int batch)
        {
            var count = Math.Min(_toPut, batch);
            _toPut -= count;
            var items = new QueueItem[count];
            var now = DateTime.UtcNow;
            for (var i = 0; i < count; i++)
            {
                items[i] = new QueueItem(_payload, now);
            }

            coordinator.Tell(new Put("bench", ++_sequenceNr, items));
        }
    }
}
