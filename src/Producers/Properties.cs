using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("ActorPipeline.Hosting")]
[assembly: InternalsVisibleTo("ActorPipeline.Tests")]
[assembly: InternalsVisibleTo("ActorPipeline.ClusterTests")]
[assembly: InternalsVisibleTo("ActorPipeline.Benchmarks")]
