using System.ComponentModel.DataAnnotations;
using Microsoft.Data.Sqlite;

namespace ActorPipeline.Hosting.Persistence;

/// <summary>The coordinator's journal and snapshot store. Bound from <c>Pipeline:Persistence</c>.</summary>
internal sealed class PersistenceOptions : IValidatableObject
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

    /// <summary>A file holding the connection string (a compose secret), instead of <see cref="ConnectionString"/>; its trailing line break is ignored.</summary>
    public string? ConnectionStringFile { get; set; }

    /// <summary>The connection string to use, read from <see cref="ConnectionStringFile"/> when one is set.</summary>
    public string EffectiveConnectionString =>
        ConnectionStringFile is { Length: > 0 } file ? SecretFile.Read(file)
        : ConnectionString is { Length: > 0 } configured ? configured
        : Provider == PersistenceProvider.Sqlite ? "Data Source=actor-pipeline.db"
        : "";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enum.IsDefined(Provider))
        {
            yield return new ValidationResult($"'{Provider}' is not a provider; use Sqlite, PostgreSql or InMemory.", [nameof(Provider)]);
        }

        if (SecretFile.BothGiven(ConnectionString, ConnectionStringFile, nameof(ConnectionString), nameof(ConnectionStringFile)) is { } both)
        {
            yield return both;
        }
        else if (ConnectionStringFile is { Length: > 0 } file)
        {
            string? problem = null;
            try
            {
                problem = SecretFile.Read(file).Length == 0 ? $"'{file}' is empty." : null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problem = $"cannot read '{file}': {e.Message}";
            }

            if (problem is not null)
            {
                yield return new ValidationResult(problem, [nameof(ConnectionStringFile)]);
            }
        }
        else if (Provider == PersistenceProvider.PostgreSql && string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult("PostgreSql needs a connection string (ConnectionString or ConnectionStringFile).", [nameof(ConnectionString)]);
        }
        else if (Provider == PersistenceProvider.Sqlite && ConnectionString is { Length: > 0 } sqlite && SqliteProblem(sqlite) is { } problem)
        {
            yield return new ValidationResult(problem, [nameof(ConnectionString)]);
        }
    }

    /// <summary>
    /// What is wrong with a SQLite connection string, named before anything opens it: a key or value SQLite does not
    /// know would otherwise surface as an unhandled exception, and a journal without a file (no data source, or an
    /// in-memory database) would vanish with the node while the coordinator retried its tables forever.
    /// </summary>
    private static string? SqliteProblem(string connectionString)
    {
        SqliteConnectionStringBuilder given;
        try
        {
            given = new SqliteConnectionStringBuilder(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            return $"is not a SQLite connection string SQLite accepts: {e.Message}";
        }

        return given.DataSource is not { Length: > 0 } source || source.StartsWith(':') || given.Mode == SqliteOpenMode.Memory
            ? "names no journal file (an empty Data Source or an in-memory database would lose every accepted item with the node); give Data Source=<file>, or use Provider=InMemory for a journal that is meant to vanish"
            : null;
    }
}
