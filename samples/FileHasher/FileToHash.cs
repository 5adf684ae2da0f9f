namespace ActorPipeline.Samples.FileHasher;

/// <summary>One item: a regular file under <see cref="HashingOptions.Root"/>.</summary>
/// <param name="Path">The file's path relative to the root, as <c>sha256sum</c> will print it.</param>
internal sealed record FileToHash(string Path);
