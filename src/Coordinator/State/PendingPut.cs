namespace ActorPipeline.Coordinator.State;

/// <summary>A waiting put whose batch did not fit yet: <see cref="Admitted"/> of its items are in.</summary>
internal sealed class PendingPut<TClient>(TClient putter, QueueProtocol.Put put, int admitted)
    where TClient : class
{
    public TClient Putter { get; } = putter;

    public QueueProtocol.Put Put { get; } = put;

    public int Admitted { get; set; } = admitted;
}
