using System.ComponentModel.DataAnnotations;

namespace ActorPipeline.Host;

/// <summary>The coordinator's journal and snapshot store. Bound from <c>Pipeline:Persistence</c>.</summary>
public sealed class PersistenceOptions : IValidatableObject
{
    /// <summary>Sqlite, PostgreSql or InMemory.</summary>
    /// <value>Default Sqlite.</value>
    public PersistenceProvider Provider { get; set; } = PersistenceProvider.Sqlite;

    /// <summary>
    /// ADO.NET connection string. SQLite: <c>Data Source=path</c> (relative to the working directory;
    /// its folder is created). PostgreSQL: required, e.g. <c>Host=db;Database=pipeline;Username=app;Password=…</c>.
    /// </summary>
    /// <value>Default <c>Data Source=actor-pipeline.db</c> for SQLite.</value>
    public string? ConnectionString { get; set; }

    public string EffectiveConnectionString =>
        ConnectionString is { Length: > 0 } configured ? configured
        : Provider == PersistenceProvider.Sqlite ? "Data Source=actor-pipeline.db"
        : "";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enum.IsDefined(Provider))
        {
            yield return new ValidationResult($"'{Provider}' is not a provider; use Sqlite, PostgreSql or InMemory.", [nameof(Provider)]);
        }

        if (Provider == PersistenceProvider.PostgreSql && string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult("PostgreSql needs a connection string.", [nameof(ConnectionString)]);
        }
    }
}
