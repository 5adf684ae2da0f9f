using System.Runtime.CompilerServices;

// The specs check internal composition helpers (the journal's connection string) without making them API.
[assembly: InternalsVisibleTo("ActorPipeline.Tests")]
[assembly: InternalsVisibleTo("ActorPipeline.Host")]
