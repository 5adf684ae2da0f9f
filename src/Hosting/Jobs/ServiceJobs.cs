using ActorPipeline.Coordinator.Protocol;

namespace ActorPipeline.Hosting.Jobs;

/// <summary>The jobs a service's runner opens itself.</summary>
internal static class ServiceJobs
{
    private const string Prefix = "producers.";

    /// <summary>
    /// The job a service node's own producers put into: <c>producers.{node}</c>, with every character a job id may not
    /// have made a <c>-</c>, and cut to a job id's length. The same name gives the same job, so a restarted node resumes it.
    /// </summary>
    public static string ForNodeProducers(string nodeName)
    {
        var safe = new string([.. nodeName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' ? c : '-')]);
        var id = Prefix + safe;
        return id.Length > JobIds.MaxIdLength ? id[..JobIds.MaxIdLength] : id;
    }

    /// <summary>What the node's producers' job is called.</summary>
    public static string NameForNodeProducers(string nodeName) => $"the producers of node {nodeName}";
}
