namespace ActorPipeline.Coordinator.Serialization;

/// <summary>
/// Bytes that parse as Protocol Buffers but break one of the queue's rules (a limit, a range, columns
/// of unequal length). <see cref="QueueMessageSerializer"/> turns it into a SerializationException
/// that names the manifest; it never leaves the serializer.
/// </summary>
internal sealed class WireFormatException(string message) : Exception(message);
