using ActorPipeline.Coordinator.Actor;
using Akka.Actor;
using Akka.Cluster;

namespace ActorPipeline.Hosting.Clustering;

/// <summary>Keeps <see cref="DepartingPeers"/> up to date from the cluster's member events.</summary>
internal sealed class DepartingPeersListener : ReceiveActor
{
    public DepartingPeersListener(DepartingPeers peers)
    {
        Receive<ClusterEvent.MemberUp>(up => peers.Up(up.Member.Address.ToString()));
        Receive<ClusterEvent.MemberLeft>(left => peers.Departing(left.Member.Address.ToString()));
        Receive<ClusterEvent.MemberExited>(exited => peers.Departing(exited.Member.Address.ToString()));
        Receive<ClusterEvent.MemberRemoved>(removed => peers.Departing(removed.Member.Address.ToString()));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
    }

    public static Props Props(DepartingPeers peers) => ActorFactory.Props(() => new DepartingPeersListener(peers));

    protected override void PreStart() =>
        Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IMemberEvent));

    protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);
}
