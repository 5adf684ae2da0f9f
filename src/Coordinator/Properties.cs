using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("ActorPipeline.Tests")]
[assembly: InternalsVisibleTo("ActorPipeline.Producers")]
[assembly: InternalsVisibleTo("ActorPipeline.Consumers")]
[assembly: InternalsVisibleTo("ActorPipeline.Hosting")]
[assembly: InternalsVisibleTo("ActorPipeline.ClusterTests")]
[assembly: InternalsVisibleTo("ActorPipeline.Benchmarks")]
