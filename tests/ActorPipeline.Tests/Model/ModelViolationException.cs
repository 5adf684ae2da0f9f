namespace ActorPipeline.Tests.Model;

/// <summary>The coordinator state and the reference model disagree; the message holds the last steps.</summary>
internal sealed class ModelViolationException(string message) : Exception(message);
