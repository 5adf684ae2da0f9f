using Akka.Cluster;

namespace ActorPipeline.Hosting.Clustering;

/// <summary>The checks a node makes as it enters the cluster: that it got in at all, and that its name is its own.</summary>
internal static class ClusterEntry
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    /// <summary>Whether this node became a member (joining or later) within <paramref name="timeout"/>.</summary>
    public static async Task<bool> JoinedAsync(Cluster cluster, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!IsMember(cluster))
        {
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Delay(Poll, cancellationToken);
        }

        return true;
    }

    /// <summary>
    /// Another live member with this node's name, if any. One that goes unreachable or leaves within
    /// <paramref name="patience"/> was this node's own earlier incarnation (killed, and restarted on
    /// another port before the cluster noticed), not a second node, and is no reason to refuse.
    /// </summary>
    public static async Task<Member?> NameTakenByAsync(Cluster cluster, NodeIdentity identity, TimeSpan patience, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            var state = cluster.State;
            var other = state.Members.FirstOrDefault(m =>
                !m.Address.Equals(cluster.SelfAddress)
                && m.Status is MemberStatus.Joining or MemberStatus.WeaklyUp or MemberStatus.Up
                && !state.Unreachable.Contains(m)
                && NodeIdentity.NameIn(m.Roles) == identity.Name);
            if (other is null || DateTime.UtcNow >= deadline)
            {
                return other;
            }

            await Task.Delay(Poll, cancellationToken);
        }
    }

    private static bool IsMember(Cluster cluster) =>
        cluster.State.Members.Any(m => m.UniqueAddress.Equals(cluster.SelfUniqueAddress));
}
