using System.Runtime.CompilerServices;

// The specs run the demo (its source and handler) in-process, as Program composes it.
[assembly: InternalsVisibleTo("ActorPipeline.Tests")]
[assembly: InternalsVisibleTo("ActorPipeline.ClusterTests")]
