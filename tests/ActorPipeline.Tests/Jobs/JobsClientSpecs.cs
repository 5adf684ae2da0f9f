using ActorPipeline.Coordinator.Protocol;
using ActorPipeline.Hosting.Jobs;
using ActorPipeline.Tests.Library;
using Akka.Actor;
using static ActorPipeline.Coordinator.Protocol.JobProtocol;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;
using static ActorPipeline.Tests.Jobs.JobsClientHarness;

namespace ActorPipeline.Tests.Jobs;

/// <summary>
/// The library's jobs client against a probe in the coordinator's place: what it sends, what it sends again, and
/// what each answer becomes for its caller.
/// </summary>
public sealed class JobsClientSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit.TestKit(output: output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Should_resend_an_unanswered_put_with_the_same_sequence_number_and_items()
    {
        var coordinator = CreateTestProbe();
        var job = Client(coordinator, firstWait: TimeSpan.FromMilliseconds(200)).Attach("j1");

        var putting = job.PutAsync(Items(3), cancellationToken: Ct);
        var first = await coordinator.ExpectMsgAsync<Put>(cancellationToken: Ct); // not answered: lost on the way, say
        var again = await coordinator.ExpectMsgAsync<Put>(cancellationToken: Ct);
        coordinator.Reply(new PutAccepted(again.ProducerId, again.SequenceNr, again.Items.Count));

        Assert.Equal(3, await putting);
        Assert.Equal((first.ProducerId, first.SequenceNr, "j1", true), (again.ProducerId, again.SequenceNr, again.Job, again.Wait));
        Assert.Equal(1, first.SequenceNr);
        Assert.Equal(Payloads(first), Payloads(again));
        Assert.Equal(first.Items[0].PutAt, again.Items[0].PutAt);
    }

    [Fact]
    public async Task Should_number_the_batches_of_a_keyed_put_alike_every_time_it_is_made()
    {
        var coordinator = CreateTestProbe();
        var made = new List<List<Put>>();
        for (var call = 0; call < 2; call++)
        {
            // A second client, as another process after a crash would be.
            var job = Client(coordinator, maxItems: 2).Attach("nightly");
            var putting = job.PutAsync(Items(5), "import-7", Ct);
            var puts = new List<Put>();
            for (var batch = 0; batch < 3; batch++)
            {
                var put = await coordinator.ExpectMsgAsync<Put>(cancellationToken: Ct);
                puts.Add(put);
                coordinator.Reply(new PutAccepted(put.ProducerId, put.SequenceNr, put.Items.Count));
            }

            Assert.Equal(5, await putting);
            made.Add(puts);
        }

        Assert.All(made.SelectMany(p => p), put => Assert.Equal("nightly/import-7", put.ProducerId));
        Assert.Equal([1L, 2, 3], made[0].Select(p => p.SequenceNr));
        Assert.Equal([2, 2, 1], made[0].Select(p => p.Items.Count));
        Assert.Equal(made[0].Select(p => p.SequenceNr), made[1].Select(p => p.SequenceNr));
        Assert.Equal(made[0].SelectMany(Payloads), made[1].SelectMany(Payloads));
    }

    [Fact]
    public async Task Should_put_under_a_fresh_producer_id_without_a_key()
    {
        var coordinator = CreateTestProbe();
        var job = Client(coordinator).Attach("j1");
        var ids = new List<string>();
        for (var call = 0; call < 2; call++)
        {
            var putting = job.PutAsync(Items(1), cancellationToken: Ct);
            var put = await coordinator.ExpectMsgAsync<Put>(cancellationToken: Ct);
            coordinator.Reply(new PutAccepted(put.ProducerId, put.SequenceNr, 1));
            await putting;
            Assert.Equal(1, put.SequenceNr);
            Assert.StartsWith("j1/c-", put.ProducerId, StringComparison.Ordinal);
            ids.Add(put.ProducerId);
        }

        Assert.NotEqual(ids[0], ids[1]);
    }

    [Fact]
    public async Task Should_send_the_next_batch_only_once_the_last_is_accepted()
    {
        var coordinator = CreateTestProbe();
        var job = Client(coordinator, maxItems: 1).Attach("j1");

        var putting = job.PutAsync(Items(2), "k", Ct);
        var first = await coordinator.ExpectMsgAsync<Put>(cancellationToken: Ct);
        var asker = coordinator.LastSender;
        await coordinator.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300), Ct);
        asker.Tell(new PutAccepted(first.ProducerId, first.SequenceNr, 1));
        var second = await coordinator.ExpectMsgAsync<Put>(cancellationToken: Ct);
        coordinator.Reply(new PutAccepted(second.ProducerId, second.SequenceNr, 1));

        Assert.Equal(2, await putting);
        Assert.Equal(2, second.SequenceNr);
    }

    [Fact]
    public async Task Should_cut_batches_by_bytes_as_a_producer_does()
    {
        var coordinator = CreateTestProbe();
        var one = Parts.Codec.Encode(new WorkItem(0, 1)).Length + QueueOptions.PerItemOverheadBytes;
        var job = Client(coordinator, maxPutBytes: (2 * one) + 1).Attach("j1");

        var putting = job.PutAsync(Items(5), "k", Ct);
        var counts = new List<int>();
        while (counts.Sum() < 5)
        {
            var put = await coordinator.ExpectMsgAsync<Put>(cancellationToken: Ct);
            counts.Add(put.Items.Count);
            coordinator.Reply(new PutAccepted(put.ProducerId, put.SequenceNr, put.Items.Count));
        }

        Assert.Equal(5, await putting);
        Assert.Equal([2, 2, 1], counts);
    }

    [Fact]
    public async Task Should_throw_naming_a_closed_job_and_what_was_accepted_before()
    {
        var coordinator = CreateTestProbe();
        var job = Client(coordinator, maxItems: 2).Attach("j1");

        var putting = job.PutAsync(Items(4), "k", Ct);
        var first = await coordinator.ExpectMsgAsync<Put>(cancellationToken: Ct);
        coordinator.Reply(new PutAccepted(first.ProducerId, first.SequenceNr, 2));
        var second = await coordinator.ExpectMsgAsync<Put>(cancellationToken: Ct);
        coordinator.Reply(new PutRejected(second.ProducerId, second.SequenceNr, PutRejection.JobClosed, 0));

        var refused = await Assert.ThrowsAsync<JobPutRejectedException>(() => putting);
        Assert.Equal((JobPutRefusal.JobClosed, 2L, "j1"), (refused.Reason, refused.ItemsAccepted, refused.JobId));
        Assert.Contains("closed", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_throw_job_not_found_for_a_put_into_no_job()
    {
        var coordinator = CreateTestProbe();
        var putting = Client(coordinator).Attach("gone").PutAsync(Items(1), cancellationToken: Ct);
        var put = await coordinator.ExpectMsgAsync<Put>(cancellationToken: Ct);
        coordinator.Reply(new PutRejected(put.ProducerId, put.SequenceNr, PutRejection.NoSuchJob, 0));

        Assert.Equal("gone", (await Assert.ThrowsAsync<JobNotFoundException>(() => putting)).JobId);
    }

    [Fact]
    public async Task Should_refuse_items_of_another_type_or_too_large_before_sending_anything()
    {
        var coordinator = CreateTestProbe();
        var job = Client(coordinator, maxItemBytes: 10).Attach("j1");

        await Assert.ThrowsAsync<InvalidOperationException>(() => job.PutAsync(["not a work item"], cancellationToken: Ct));
        var tooLarge = await Assert.ThrowsAsync<JobPutRejectedException>(() => job.PutAsync(Items(3), cancellationToken: Ct));
        Assert.Equal((JobPutRefusal.ItemTooLarge, 0L), (tooLarge.Reason, tooLarge.ItemsAccepted));
        await Assert.ThrowsAsync<ArgumentException>(() => job.PutAsync(Items(1), "no spaces allowed", Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => job.PutAsync(new WorkItem?[] { null }, cancellationToken: Ct));
        await coordinator.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200), Ct);
    }

    [Fact]
    public async Task Should_open_a_job_under_a_fresh_id_and_return_it_once_answered()
    {
        var coordinator = CreateTestProbe();
        var opening = Client(coordinator).OpenAsync("nightly import", new JobOpenOptions { Weight = 3 }, Ct);
        var open = await coordinator.ExpectMsgAsync<OpenJob>(cancellationToken: Ct);
        Assert.Null(JobIds.Problem(open.JobId));
        Assert.Equal(("nightly import", 3), (open.Name, open.Weight));
        coordinator.Reply(Status(open.JobId, JobPhase.Open) with { Name = open.Name });

        var job = await opening;
        Assert.Equal((open.JobId, "nightly import"), (job.Id, job.Name));
    }

    [Fact]
    public async Task Should_resend_a_command_until_it_is_answered()
    {
        var coordinator = CreateTestProbe();
        var closing = Client(coordinator, firstWait: TimeSpan.FromMilliseconds(100)).Attach("j1").CloseAsync(Ct);
        await coordinator.ExpectMsgAsync<CloseJob>(cancellationToken: Ct);
        await coordinator.ExpectMsgAsync<CloseJob>(cancellationToken: Ct);
        coordinator.Reply(Status("j1", JobPhase.Closed));

        Assert.Equal(JobState.Closed, (await closing).State);
    }

    [Fact]
    public async Task Should_refuse_a_bad_open_without_asking_and_report_the_coordinators_refusals()
    {
        var coordinator = CreateTestProbe();
        var client = Client(coordinator);
        await Assert.ThrowsAsync<ArgumentException>(() => client.OpenAsync("  ", cancellationToken: Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => client.OpenAsync("x", new JobOpenOptions { Id = "no/slashes" }, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => client.OpenAsync("x", new JobOpenOptions { Weight = 0 }, Ct));
        Assert.Throws<ArgumentException>(() => client.Attach("bad id"));
        await coordinator.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200), Ct);

        var opening = client.OpenAsync("other name", new JobOpenOptions { Id = "j1" }, Ct);
        await coordinator.ExpectMsgAsync<OpenJob>(cancellationToken: Ct);
        coordinator.Reply(new JobRefused("j1", "j1 is open under the name 'first name'"));
        Assert.Contains("first name", (await Assert.ThrowsAsync<ArgumentException>(() => opening)).Message, StringComparison.Ordinal);

        var joining = client.Attach("j2").JoinAsync(Ct);
        await coordinator.ExpectMsgAsync<JoinJob>(cancellationToken: Ct);
        coordinator.Reply(new JobUnknown("j2"));
        await Assert.ThrowsAsync<JobNotFoundException>(() => joining);
    }

    [Fact]
    public async Task Should_report_a_job_with_its_dead_letters_as_the_pipeline_formats_them()
    {
        var coordinator = CreateTestProbe();
        var reading = Client(coordinator).Attach("j1").GetReportAsync(Ct);
        await coordinator.ExpectMsgAsync<GetJob>(cancellationToken: Ct);
        var dead = new DeadLetteredItem(41, 7, new QueueItem(Parts.Codec.Encode(new WorkItem(2, 9)), ClientNow.UtcDateTime), 3, "boom");
        coordinator.Reply(Status("j1", JobPhase.Open) with
        {
            Accepted = 10, Completed = 6, DeadLettered = 1, Queued = 2, InFlight = 1,
            Producers = [new JobProducer("j1/k", 10)], DeadLetters = [dead],
        });

        var report = await reading;
        Assert.Equal((JobState.Open, 10L, 6L, 1L, 3L), (report.State, report.Accepted, report.Completed, report.DeadLettered, report.Unfinished));
        Assert.Equal(new JobDeadLetter(41, 3, "boom", "item 2.9"), Assert.Single(report.DeadLetters));
        Assert.Equal(new JobProducerReport("j1/k", 10), Assert.Single(report.Producers));
        Assert.Equal(TimeSpan.FromMinutes(5), report.Duration); // opened 5 minutes before the client's now, not settled
        Assert.Null(report.SettledAt);
    }

    [Theory]
    [InlineData("node-a", "producers.node-a")]
    [InlineData("host:4053", "producers.host-4053")]
    [InlineData("ä b", "producers.--b")]
    public void Should_name_a_service_nodes_producers_job_with_job_id_characters_only(string node, string expected)
    {
        Assert.Equal(expected, ServiceJobs.ForNodeProducers(node));
        Assert.Null(JobIds.Problem(ServiceJobs.ForNodeProducers(new string('n', 200))));
    }

    internal static JobStatus Status(string id, JobPhase phase) => new(
        id, "a job", phase, 1, 0, 0, 0, 0, 0, 0, ClientNow.UtcDateTime.AddMinutes(-5), null, null, [], []);

    private static IEnumerable<string> Payloads(Put put) => put.Items.Select(i => Convert.ToHexString(i.Payload.Span));
}
