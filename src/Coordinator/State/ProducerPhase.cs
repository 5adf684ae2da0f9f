namespace ActorPipeline.Coordinator.State;

/// <summary>Where a producer is in the run.</summary>
internal enum ProducerPhase
{
    /// <summary>Known from its puts only; the run does not wait for it.</summary>
    Unregistered,

    /// <summary>Registered and neither done nor lost: the run waits for it.</summary>
    Active,

    /// <summary>It has put everything it will put.</summary>
    Done,

    /// <summary>It stopped, or stayed silent after a restart, before it was done; registering again makes it active again.</summary>
    Lost,

    /// <summary>
    /// It stopped on request (its node was stopped) before it was done: not finished, not lost. The run
    /// waits for it, without a timeout, until it registers again or an operator ends the run.
    /// </summary>
    Stopped,
}
