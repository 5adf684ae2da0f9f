using System.Diagnostics.Metrics;
using Akka.Actor;
using Akka.Hosting;
using Akka.Persistence.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static ActorPipeline.Coordinator.Protocol.JobProtocol;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace ActorPipeline.Tests.Host;

/// <summary>
/// The page's sampler and the job gauges against the real coordinator (not a script): a job opened, fed and
/// partly worked reads on the page and on the meter with the counts the coordinator answers a client with.
/// </summary>
public sealed class JobsReadingSpecs(ITestOutputHelper output) : Akka.Hosting.TestKit.TestKit(output: output)
{
    private readonly ServiceProvider _meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private PipelineMetrics? _metrics;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider)
    {
        _metrics = new PipelineMetrics(_meters.GetRequiredService<IMeterFactory>());
        builder.WithInMemoryJournal().WithInMemorySnapshotStore().AddCoordinator(
            new QueueOptions { ExpectedProducers = 0, ProgressInterval = TimeSpan.Zero, AckTimeout = TimeSpan.FromMinutes(1) },
            provider.GetRequiredService<ILoggerFactory>(),
            _metrics);
    }

    [Fact]
    public async Task Should_read_a_jobs_counts_and_dead_letters_as_the_coordinator_has_them()
    {
        var queue = ActorRegistry.Get<CoordinatorKey>();
        var client = CreateTestProbe();
        queue.Tell(new OpenJob("import-1", "Monday's import"), client.Ref);
        await client.ExpectMsgAsync<JobStatus>(cancellationToken: Ct);
        queue.Tell(new Put("client-a", 1, [.. Enumerable.Range(1, 5).Select(i => new QueueItem(new[] { (byte)i }, DateTime.UtcNow))], Job: "import-1"), client.Ref);
        await client.ExpectMsgAsync<PutAccepted>(cancellationToken: Ct);

        // Three done, one given up on, one still in hand.
        queue.Tell(new Get(5), client.Ref);
        var delivered = new List<DeliveredItem>();
        while (delivered.Count < 5)
        {
            delivered.AddRange((await client.ExpectMsgAsync<Delivery>(cancellationToken: Ct)).Items);
        }

        queue.Tell(new TaskDone([delivered[0].DeliveryId, delivered[1].DeliveryId, delivered[2].DeliveryId]), client.Ref);
        queue.Tell(new TaskFailed(delivered[3].DeliveryId, 3, "row 4 is malformed"), client.Ref);
        queue.Tell(new GetJob("import-1"), client.Ref);
        var told = await client.ExpectMsgAsync<JobStatus>(cancellationToken: Ct); // what a client is told, after all of the above

        var options = MsOptions.Create(new OperationsOptions { DashboardEnabled = true });
        using var sampler = new RunSampler(Host.Services.GetRequiredService<IRequiredActor<CoordinatorKey>>(), options, new DashboardFeed(), TimeProvider.System, NullLogger<RunSampler>.Instance);
        await sampler.SampleAsync(Ct);

        var jobs = sampler.Jobs();
        Assert.True(jobs.Answering);
        var row = Assert.Single(jobs.Jobs, j => j.JobId == "import-1");
        Assert.Equal((5L, 3L, 1L, 4L, 1), (told.Accepted, told.Completed, told.DeadLettered, told.Completed + told.DeadLettered + told.Discarded, told.InFlight));
        Assert.Equal(("Monday's import", "Open", told.Accepted, 4L, told.Completed, told.DeadLettered, told.InFlight), (row.Name, row.Phase, row.Accepted, row.Settled, row.Completed, row.DeadLettered, row.InFlight));
        Assert.Contains(jobs.Jobs, j => j.JobId == JobIds.Run); // the run's job is always listed; the page leaves an idle one out

        var detail = await sampler.JobAsync("import-1", Ct);
        Assert.NotNull(detail);
        var dead = Assert.Single(detail.DeadLetters);
        Assert.Equal((delivered[3].ItemId, "row 4 is malformed", "04"), (dead.ItemId, dead.Error, dead.PayloadHex));
        Assert.Equal(["client-a"], detail.Producers.Select(p => p.ProducerId));
        Assert.Null(await sampler.JobAsync("never-opened", Ct));

        // The coordinator's periodic report puts the same counts on the meter, under the job's id.
        await AwaitConditionAsync(() => Task.FromResult(ScrapeAccepted("import-1") == 5), TimeSpan.FromSeconds(10), cancellationToken: Ct);
    }

    /// <summary>One collection of <c>actorpipeline.job.items</c> from this spec's meter: the job's accepted items, or null if it is not there.</summary>
    private long? ScrapeAccepted(string job)
    {
        var meters = _meters.GetRequiredService<IMeterFactory>();
        long? accepted = null;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, meters) && instrument.Name == "actorpipeline.job.items")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var tag = new Dictionary<string, object?>(tags.ToArray());
            if (Equals(tag["job"], job) && Equals(tag["state"], "accepted"))
            {
                accepted = value;
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return accepted;
    }

    protected override async Task AfterAllAsync()
    {
        await base.AfterAllAsync(); // the coordinator is gone before its meter
        _metrics?.Dispose();
        await _meters.DisposeAsync();
    }
}
