namespace ActorPipeline.Coordinator.State;

/// <summary>What the coordinator's shell must do for a decision of <see cref="CoordinatorState{TClient}"/>, in order.</summary>
internal enum EffectKind
{
    /// <summary>Journal <see cref="Effect{TClient}.Message"/> (an <see cref="IQueueEvent"/> already applied to the state).</summary>
    Journal,

    /// <summary>Send the message now.</summary>
    Tell,

    /// <summary>Send the message once every event journaled so far is stored: it promises durability.</summary>
    TellWhenStored,

    /// <summary>Watch the client, so that its stop comes back as <see cref="CoordinatorState{TClient}.ClientTerminated"/>.</summary>
    Watch,
}

/// <summary>One effect of a decision; a struct, so that a decision allocates only its messages.</summary>
internal readonly record struct Effect<TClient>(EffectKind Kind, TClient? To, object? Message)
    where TClient : class;
