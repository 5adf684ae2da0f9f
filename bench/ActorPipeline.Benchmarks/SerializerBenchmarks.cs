using ActorPipeline.Coordinator;
using Akka.Actor;
using BenchmarkDotNet.Attributes;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Benchmarks;

/// <summary>The wire format of the three messages every item crosses: a put, a delivery and a task_done, 100 items each.</summary>
[MemoryDiagnoser]
public class SerializerBenchmarks
{
    private const int Items = 100;
    private ActorSystem _system = null!;
    private QueueMessageSerializer _serializer = null!;
    private Put _put = null!;
    private Delivery _delivery = null!;
    private TaskDone _done = null!;
    private byte[] _putBytes = null!;
    private byte[] _deliveryBytes = null!;
    private byte[] _doneBytes = null!;

    [GlobalSetup]
    public void Setup()
    {
        _system = ActorSystem.Create("serializer-bench");
        _serializer = new QueueMessageSerializer((ExtendedActorSystem)_system);
        var items = Enumerable.Range(0, Items).Select(i => new QueueItem(new byte[] { 1, 2, 3, 4, (byte)i }, DateTime.UtcNow)).ToArray();
        _put = new Put("10.0.0.7:4053/producer-3", 42, items);
        _delivery = new Delivery([.. items.Select((item, i) => new DeliveredItem((1L << 40) + i, item))]);
        _done = new TaskDone([.. Enumerable.Range(0, Items).Select(i => (1L << 40) + i)]);
        (_putBytes, _deliveryBytes, _doneBytes) = (_serializer.ToBinary(_put), _serializer.ToBinary(_delivery), _serializer.ToBinary(_done));
    }

    [GlobalCleanup]
    public void Cleanup() => _system.Terminate().Wait();

    [Benchmark(OperationsPerInvoke = Items)]
    public byte[] PutToBinary() => _serializer.ToBinary(_put);

    [Benchmark(OperationsPerInvoke = Items)]
    public object PutFromBinary() => _serializer.FromBinary(_putBytes, "P");

    [Benchmark(OperationsPerInvoke = Items)]
    public byte[] DeliveryToBinary() => _serializer.ToBinary(_delivery);

    [Benchmark(OperationsPerInvoke = Items)]
    public object DeliveryFromBinary() => _serializer.FromBinary(_deliveryBytes, "D");

    [Benchmark(OperationsPerInvoke = Items)]
    public byte[] TaskDoneToBinary() => _serializer.ToBinary(_done);

    [Benchmark(OperationsPerInvoke = Items)]
    public object TaskDoneFromBinary() => _serializer.FromBinary(_doneBytes, "TD");
}
