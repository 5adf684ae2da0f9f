using System.Runtime.CompilerServices;

// The specs check the composition (the journal's connection string, the runner's summary) without making it API.
[assembly: InternalsVisibleTo("ActorPipeline.Tests")]
[assembly: InternalsVisibleTo("ActorPipeline.ClusterTests")]
[assembly: InternalsVisibleTo("ActorPipeline.Benchmarks")]
