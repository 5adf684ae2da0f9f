namespace ActorPipeline.Hosting.Persistence;

/// <summary>Where the coordinator journals its state.</summary>
internal enum PersistenceProvider
{
    /// <summary>A SQLite file: the default, no server needed.</summary>
    Sqlite,

    /// <summary>PostgreSQL: production, and what lets a standby coordinator on another machine take over.</summary>
    PostgreSql,

    /// <summary>Nothing survives the process: tests and benchmarks.</summary>
    InMemory,
}
