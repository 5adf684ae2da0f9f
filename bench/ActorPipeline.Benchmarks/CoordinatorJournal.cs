namespace ActorPipeline.Benchmarks;

/// <summary>Where the benchmarked coordinator keeps its events.</summary>
public enum CoordinatorJournal
{
    /// <summary>Nowhere (Pipeline:Queue:Ephemeral): the like-for-like contender of asyncio.Queue and Channel&lt;T&gt;.</summary>
    None,

    /// <summary>Akka's in-memory journal: every event persisted, every durable reply waiting for it, nothing on disk.</summary>
    Memory,

    /// <summary>A SQLite file, as the embedded service keeps it.</summary>
    Sqlite,
}
