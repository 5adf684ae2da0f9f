namespace ActorPipeline.Hosting.Dashboard;

/// <summary>Where the run is, as the page names it.</summary>
internal enum RunPhase
{
    /// <summary>Some expected producer is neither done nor lost.</summary>
    Producing,

    /// <summary>Every producer is done or lost; accepted items are still unfinished.</summary>
    Draining,

    /// <summary>The cluster-wide join: every producer done or lost and nothing unfinished.</summary>
    Joined,

    /// <summary>A shutdown was requested and the run is not joined.</summary>
    ShutDown,
}
