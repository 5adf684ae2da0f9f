namespace ActorPipeline.Hosting.Logging;

/// <summary>
/// Registered by <see cref="ActorPipelineLoggingExtensions.AddActorPipelineLogging"/>: Akka's own events then go
/// straight to Serilog (with their actor path and thread); without it they go to the host's <c>ILoggerFactory</c>.
/// </summary>
internal sealed class AkkaLogsToSerilog;
