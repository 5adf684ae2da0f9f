namespace ActorPipeline.Coordinator.Protocol;

/// <summary>Published on the local event stream when the coordinator's journal stores writes again after an outage.</summary>
/// <param name="Outage">How long the outage lasted.</param>
internal sealed record CoordinatorJournalAvailable(TimeSpan Outage);
