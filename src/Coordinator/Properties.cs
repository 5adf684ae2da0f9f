using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("ActorPipeline.Tests")]
