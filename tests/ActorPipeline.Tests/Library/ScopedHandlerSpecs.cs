using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;

namespace ActorPipeline.Tests.Library;

/// <summary>
/// A handler is resolved in a scope of its own for every item, as a .NET worker resolves one per message: its
/// scoped services (a DbContext) are new per item and disposed once the item's work is over. Whole runs in-process.
/// </summary>
public sealed class ScopedHandlerSpecs
{
    private const int Producers = 2;
    private const int ItemsPerProducer = 15;
    private const int Items = Producers * ItemsPerProducer;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = 120_000)]
    public async Task Should_resolve_the_handler_and_its_scoped_services_anew_for_every_item_and_dispose_them_after_it()
    {
        var ledger = new Ledger();
        await using var harness = new UserPipelineHarness(
            p => p.AddItemSource<WorkItemSource>().AddWorkHandler<ScopedHandler>(),
            services => services.AddSingleton(new WorkItemSource(ItemsPerProducer)).AddSingleton(ledger).AddScoped<Connection>(),
            ("Pipeline:Producers:Count", $"{Producers}"));

        var summary = await harness.RunAsync(Ct);

        Assert.Equal((Items, Items, ExitCodes.Success), (summary.Accepted, summary.Completed, summary.ExitCode));
        var handled = ledger.Handled.ToList();
        Assert.Equal(Items, handled.Count);
        Assert.Equal(Items, handled.Select(h => h.Item).Distinct().Count());
        Assert.Equal(Items, handled.Select(h => h.Connection).Distinct().Count()); // a new scoped service per item
        Assert.Equal(Items, handled.Select(h => h.Handler).Distinct().Count()); // and a new handler
        Assert.All(handled, h => Assert.False(h.ConnectionDisposedDuringWork, $"item {h.Item}'s connection was disposed while its handler ran"));

        // Only a scope disposes a scoped service: the container does not keep them. Every item's scope was disposed, after its work.
        Assert.Equal(ledger.ConnectionsOpened.Order(), ledger.ConnectionsDisposed.Order());
        Assert.Equal(ledger.HandlersCreated.Order(), ledger.HandlersDisposed.Order());
        Assert.Empty(ledger.DisposedBeforeWorkEnded);
    }

    [Fact(Timeout = 120_000)]
    public async Task Should_use_one_handler_for_every_item_when_the_user_registered_it_as_a_singleton_first()
    {
        var ledger = new Ledger();
        await using var harness = new UserPipelineHarness(
            p => p.AddItemSource<WorkItemSource>().AddWorkHandler<SharedHandler>(),
            services => services.AddSingleton(new WorkItemSource(ItemsPerProducer)).AddSingleton(ledger).AddSingleton<SharedHandler>(),
            ("Pipeline:Producers:Count", $"{Producers}"));

        var summary = await harness.RunAsync(Ct);

        Assert.Equal((Items, ExitCodes.Success), (summary.Completed, summary.ExitCode));
        Assert.Equal(Items, ledger.Handled.Select(h => h.Item).Distinct().Count());
        Assert.Single(ledger.HandlersCreated);
        Assert.Single(ledger.Handled.Select(h => h.Handler).Distinct());
    }

    /// <summary>What the services of every item did, in one place the spec reads after the run.</summary>
    private sealed class Ledger
    {
        private int _serial;

        public ConcurrentQueue<(WorkItem Item, int Handler, int Connection, bool ConnectionDisposedDuringWork)> Handled { get; } = new();

        public ConcurrentQueue<int> ConnectionsOpened { get; } = new();

        public ConcurrentQueue<int> ConnectionsDisposed { get; } = new();

        public ConcurrentQueue<int> HandlersCreated { get; } = new();

        public ConcurrentQueue<int> HandlersDisposed { get; } = new();

        /// <summary>Connections disposed before the handler that used them had returned.</summary>
        public ConcurrentQueue<int> DisposedBeforeWorkEnded { get; } = new();

        public int NextSerial() => Interlocked.Increment(ref _serial);
    }

    /// <summary>A scoped service with a lifetime to watch, as a DbContext has.</summary>
    private sealed class Connection : IDisposable
    {
        private readonly Ledger _ledger;
        private volatile bool _disposed;

        public Connection(Ledger ledger)
        {
            _ledger = ledger;
            Serial = ledger.NextSerial();
            ledger.ConnectionsOpened.Enqueue(Serial);
        }

        public int Serial { get; }

        public bool IsDisposed => _disposed;

        public bool WorkEnded { get; set; }

        public void Dispose()
        {
            if (!WorkEnded)
            {
                _ledger.DisposedBeforeWorkEnded.Enqueue(Serial);
            }

            _disposed = true;
            _ledger.ConnectionsDisposed.Enqueue(Serial);
        }
    }

    private sealed class ScopedHandler : IWorkHandler<WorkItem>, IDisposable
    {
        private readonly Connection _connection;
        private readonly Ledger _ledger;
        private readonly int _serial;

        public ScopedHandler(Connection connection, Ledger ledger)
        {
            (_connection, _ledger, _serial) = (connection, ledger, ledger.NextSerial());
            ledger.HandlersCreated.Enqueue(_serial);
        }

        public async ValueTask HandleAsync(WorkItem item, WorkContext context)
        {
            await Task.Yield(); // work that awaits, so the scope would have a chance to end early
            _ledger.Handled.Enqueue((item, _serial, _connection.Serial, _connection.IsDisposed));
            _connection.WorkEnded = true;
        }

        public void Dispose() => _ledger.HandlersDisposed.Enqueue(_serial);
    }

    private sealed class SharedHandler : IWorkHandler<WorkItem>
    {
        private readonly Ledger _ledger;
        private readonly int _serial;

        public SharedHandler(Ledger ledger)
        {
            (_ledger, _serial) = (ledger, ledger.NextSerial());
            ledger.HandlersCreated.Enqueue(_serial);
        }

        public ValueTask HandleAsync(WorkItem item, WorkContext context)
        {
            _ledger.Handled.Enqueue((item, _serial, 0, false));
            return ValueTask.CompletedTask;
        }
    }
}
