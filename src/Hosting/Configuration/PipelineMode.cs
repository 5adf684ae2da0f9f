namespace ActorPipeline.Hosting.Configuration;

/// <summary>How a node lives: for one batch, or as a service that runs jobs. Bound from <c>Pipeline:Mode</c>.</summary>
internal enum PipelineMode
{
    /// <summary>
    /// The seed's program: the nodes' producers make one job, the batch run; the coordinator joins it; the
    /// consumers are cancelled and every node exits (0 when all is done).
    /// </summary>
    Run,

    /// <summary>
    /// Nodes stay up and jobs come and go (opened, fed and joined through the client or HTTP). A stop (SIGTERM)
    /// drains the consumers and leaves open jobs open in the journal; consumers are cancelled only when the node stops.
    /// </summary>
    Service,
}
