namespace ActorPipeline.Hosting.Operations;

/// <summary>When a silent coordinator is worth a warning: the run monitor and the page say so after the same time.</summary>
internal static class CoordinatorSilence
{
    /// <summary>One slow answer (a busy journal, a singleton handing over) is not a problem; this long without one is.</summary>
    public static readonly TimeSpan WorthAWarning = TimeSpan.FromSeconds(30);
}
