using System.Diagnostics;
using ActorPipeline.Coordinator;
using ActorPipeline.Hosting.Persistence;
using Akka.Actor;
using Akka.Hosting;
using Akka.Persistence.Sql.Hosting;
using LinqToDB;
using Microsoft.Data.Sqlite;
using Npgsql;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Tests.CoordinatorShell;

/// <summary>
/// The coordinator's durability on the real stores the host configures (Akka.Persistence.Sql with the production
/// serializer): the same crash scenario, written once, run against each provider by a sealed subclass.
/// </summary>
public abstract class JournalProviderSpecs(ITestOutputHelper output) : RestartableCoordinatorSpecBase(output)
{
    /// <summary>
    /// Real I/O: the first recovery initializes the store (tables, LINQ to DB's queries), which can take seconds
    /// while other specs run in parallel, so every expectation gets longer than the TestKit's 3 s default.
    /// </summary>
    protected const string StoreTimeouts = "akka.test.single-expect-default = 20s";


    [Fact]
    public async Task Should_complete_or_dead_letter_every_accepted_item_exactly_once_across_restarts()
    {
        RequireStore();
        // Snapshots every few events, so the snapshot store and its serialization are exercised too.
        StartCoordinator(new QueueOptions { SnapshotEvery = 4 }, expectedProducers: 2);
        var first = CreateTestProbe();
        var second = CreateTestProbe();
        var before = CreateTestProbe();
        var after = CreateTestProbe();
        var joiner = CreateTestProbe();
        var started = Stopwatch.StartNew();
        Assert.Equal(0, (await StatusAsync()).Accepted); // a fresh store: nothing from an earlier run is recovered
        Output?.WriteLine($"First recovery took {started.ElapsedMilliseconds} ms.");

        Queue.Tell(new RegisterProducer("first"), first.Ref);
        Queue.Tell(new RegisterProducer("second"), second.Ref);
        Assert.Equal(0, (await first.ExpectMsgAsync<ProducerRegistered>(cancellationToken: Ct)).LastAcceptedSequenceNr);
        Assert.Equal(0, (await second.ExpectMsgAsync<ProducerRegistered>(cancellationToken: Ct)).LastAcceptedSequenceNr);
        await PutAsync(first, Put("first", 1, "a1", "a2"));
        await PutAsync(second, Put("second", 1, "b1"));
        await PutAsync(first, Put("first", 2, "a3", "a4"));
        await PutAsync(second, Put("second", 2, "b2", "b3", "b4"));

        var delivered = await GetNowAsync(before, 5);
        Assert.Equal(["a1", "a2", "b1", "a3", "a4"], delivered.Select(d => d.Item.Hex));
        var byHex = delivered.ToDictionary(d => d.Item.Hex);
        Queue.Tell(new TaskDone([byHex["a1"].DeliveryId, byHex["a2"].DeliveryId]), before.Ref);
        Queue.Tell(new TaskFailed(byHex["a3"].DeliveryId, 3, "InvalidOperationException: boom"), before.Ref);
        // "a4" and "b1" are still held by the consumer when the coordinator goes down.

        await RestartAsync();

        var recovered = await StatusAsync();
        Assert.Equal((8L, 2L, 1L, 5, 0), (recovered.Accepted, recovered.Completed, recovered.DeadLettered, recovered.Size, recovered.InFlight));
        await PutAsync(first, Put("first", 2, "a3", "a4")); // a resend whose acknowledgement was lost: answered, not admitted again
        Queue.Tell(new RegisterProducer("second"), second.Ref);
        Assert.Equal(new ProducerRegistered("second", 2, 4), await second.ExpectMsgAsync<ProducerRegistered>(cancellationToken: Ct));
        Queue.Tell(new TaskDone(byHex["a4"].DeliveryId), before.Ref); // the old consumer finishes "a4" after all

        var drained = await DrainAsync(after, credits: 3);

        Assert.Equal(["b1", "b2", "b3", "b4"], drained);
        var dead = Assert.Single(await DeadLettersAsync());
        Assert.Equal(("a3", 3, "InvalidOperationException: boom"), (dead.Item.Hex, dead.Attempts, dead.Error));
        var drainedStatus = await StatusAsync();
        Assert.Equal((8L, 7L, 1L, 0, 0L), (drainedStatus.Accepted, drainedStatus.Completed, drainedStatus.DeadLettered, drainedStatus.Unfinished, drainedStatus.DuplicateAcks));

        await RestartAsync(); // what the store holds now is the finished work

        var stored = await StatusAsync();
        Assert.Equal((8L, 7L, 1L, 0), (stored.Accepted, stored.Completed, stored.DeadLettered, stored.Unfinished));
        Queue.Tell(new Get(1, Wait: false), after.Ref);
        await after.ExpectMsgAsync<QueueEmpty>(cancellationToken: Ct);

        Queue.Tell(JoinRun.Instance, joiner.Ref);
        Queue.Tell(new ProducerDone("first", 2), first.Ref);
        Queue.Tell(new ProducerDone("second", 2), second.Ref);
        await first.ExpectMsgAsync<ProducerDoneAck>(cancellationToken: Ct);
        await second.ExpectMsgAsync<ProducerDoneAck>(cancellationToken: Ct);
        var run = (await joiner.ExpectMsgAsync<RunCompleted>(cancellationToken: Ct)).Status;
        Assert.Equal((8L, 7L, 1L, 2, 0), (run.Accepted, run.Completed, run.DeadLettered, run.ProducersDone, run.ProducersLost));
    }

    /// <summary>Skips the spec when its store is not available here.</summary>
    protected virtual void RequireStore()
    {
    }
}

/// <summary>
/// The SQLite file the host uses by default, set up as the host sets it up (its tables made before the actor system
/// opens it, write-ahead log, waiting when busy), in a folder of its own that is removed afterwards.
/// </summary>
public sealed class SqliteJournalSpecs(ITestOutputHelper output) : JournalProviderSpecs(output), IAsyncLifetime
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("actorpipeline-journal-");

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider) =>
        builder.WithQueueSerializer().AddHocon(StoreTimeouts, HoconAddMode.Prepend).AddQueueStore(new PersistenceOptions
        {
            Provider = PersistenceProvider.Sqlite,
            ConnectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_folder.FullName, "journal.db") }.ToString(),
        });

    // The TestKit's lifetime methods are not virtual: the interface is implemented again around them.
    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await DisposeAsync();
        SqliteConnection.ClearAllPools(); // pooled connections would keep the file open
        _folder.Delete(recursive: true);
    }
}

/// <summary>
/// PostgreSQL, the production store, at <c>ACTORPIPELINE_TEST_POSTGRES</c> (CI sets it; unset, the spec is skipped).
/// <para>
/// Isolation: Akka.Persistence.Sql takes a schema name, so every spec instance journals into a schema of its own,
/// <c>actorpipeline_test_&lt;guid&gt;</c>, created before the actor system starts (auto-initialize creates the tables in
/// it, not the schema) and dropped with its tables after the actor system stops. A rerun, or a run beside another,
/// can therefore never recover someone else's queue, and nothing is left behind in the database.
/// </para>
/// </summary>
public sealed class PostgreSqlJournalSpecs(ITestOutputHelper output) : JournalProviderSpecs(output), IAsyncLifetime
{
    private const string Variable = "ACTORPIPELINE_TEST_POSTGRES";

    private static readonly string? ConnectionString =
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured ? configured : null;

    private readonly string _schema = $"actorpipeline_test_{Guid.NewGuid():N}";

    // The TestKit's lifetime methods are not virtual: the interface is implemented again around them.
    async ValueTask IAsyncLifetime.InitializeAsync()
    {
        if (ConnectionString is not null)
        {
            await ExecuteAsync($"CREATE SCHEMA \"{_schema}\"");
        }

        await InitializeAsync();
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await DisposeAsync();
        if (ConnectionString is not null)
        {
            await ExecuteAsync($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE");
        }
    }

    // Decided before the host starts: without a server the actor system gets the in-memory store, so nothing
    // tries to reach PostgreSQL, and the spec skips itself.
    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider)
    {
        if (ConnectionString is null)
        {
            base.ConfigureAkka(builder, provider);
            return;
        }

        builder.WithQueueSerializer().AddHocon(StoreTimeouts, HoconAddMode.Prepend).WithSqlPersistence(
            connectionString: ConnectionString,
            providerName: ProviderName.PostgreSQL15,
            schemaName: _schema,
            autoInitialize: true);
    }

    protected override void RequireStore()
    {
        if (ConnectionString is null)
        {
            Assert.Skip($"{Variable} is not set; CI sets it");
        }
    }

    private static async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(CancellationToken.None);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }
}
