using ActorPipeline.Coordinator;
using Akka.TestKit;
using static ActorPipeline.Coordinator.Protocol.JobProtocol;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Tests.CoordinatorShell;

/// <summary>
/// Jobs through the coordinator actor and its journal: a job's join is answered when its own items settle, and an
/// open job, its counts and its joiners' answer survive a crash of the coordinator, from events alone or from a
/// snapshot (which goes through the production serializer).
/// </summary>
public sealed class JobRecoverySpecs(ITestOutputHelper output) : RestartableCoordinatorSpecBase(output)
{
    [Theory]
    [InlineData(10_000)] // recovered from events
    [InlineData(1)] // recovered from a snapshot taken after every write
    public async Task Should_keep_an_open_job_across_a_restart_and_answer_its_join_once_its_own_items_settle(int snapshotEvery)
    {
        StartCoordinator(new QueueOptions { SnapshotEvery = snapshotEvery });
        var client = CreateTestProbe();
        var joiner = CreateTestProbe();
        var consumer = CreateTestProbe();
        await OpenAsync(client, "nightly", "nightly reindex");
        await OpenAsync(client, "small", "one item");
        await PutAsync(client, new Put("nightly/c", 1, [Item("01"), Item("02"), Item("03")], Job: "nightly"));
        await PutAsync(client, new Put("small/c", 1, [Item("ff")], Job: "small"));
        await AskAsync<JobStatus>(new CloseJob("small"));

        // Turns: one of each job, then the rest of the first, each job's items in their order.
        var delivered = await GetNowAsync(consumer, 10);
        Assert.Equal(["01", "ff", "02", "03"], delivered.Select(d => d.Item.Hex));

        // The small job's one item done: its join is answered, the big job's items notwithstanding.
        Queue.Tell(new JoinJob("small"), joiner.Ref);
        Queue.Tell(new TaskDone(delivered[1].DeliveryId), consumer.Ref);
        var small = await joiner.ExpectMsgAsync<JobStatus>(cancellationToken: Ct);
        Assert.Equal(("small", JobPhase.Settled, 1L, 1L, 0L), (small.JobId, small.Phase, small.Accepted, small.Completed, small.Unfinished));

        // One of the nightly job's items done before the crash; the other two were in flight, and come back.
        Queue.Tell(new TaskDone(delivered[0].DeliveryId), consumer.Ref);
        await RestartAsync();

        var recovered = await AskAsync<JobStatus>(new GetJob("nightly"));
        Assert.Equal((JobPhase.Open, 3L, 1L, 2L), (recovered.Phase, recovered.Accepted, recovered.Completed, recovered.Unfinished));
        Assert.Equal([new JobProducer("nightly/c", 3)], recovered.Producers);
        Assert.Equal(JobPhase.Settled, (await AskAsync<JobStatus>(new GetJob("small"))).Phase);

        // A put resent after the restart is recognised; a new one is taken; then the job is closed and joined.
        await PutAsync(client, new Put("nightly/c", 1, [Item("01"), Item("02"), Item("03")], Job: "nightly"));
        await PutAsync(client, new Put("nightly/c", 2, [Item("04")], Job: "nightly"));
        await AskAsync<JobStatus>(new CloseJob("nightly"));
        Queue.Tell(new JoinJob("nightly"), joiner.Ref);
        Assert.Equal(["02", "03", "04"], await DrainAsync(consumer));

        var report = await joiner.ExpectMsgAsync<JobStatus>(cancellationToken: Ct);
        Assert.Equal((JobPhase.Settled, 4L, 4L, 0L, 0L), (report.Phase, report.Accepted, report.Completed, report.DeadLettered, report.Unfinished));
        Assert.NotNull(report.SettledAt);
        Assert.True(report.SettledAt >= report.ClosedAt && report.ClosedAt >= report.OpenedAt);
    }

    [Fact]
    public async Task Should_refuse_puts_into_a_closed_or_unknown_job_and_answer_a_join_of_an_unknown_one_with_unknown()
    {
        StartCoordinator();
        var client = CreateTestProbe();
        await OpenAsync(client, "done", "done soon");
        await AskAsync<JobStatus>(new CloseJob("done"));

        Queue.Tell(new Put("done/c", 1, [Item("01")], Job: "done"), client.Ref);
        Assert.Equal(PutRejection.JobClosed, (await client.ExpectMsgAsync<PutRejected>(cancellationToken: Ct)).Reason);
        Queue.Tell(new Put("x/c", 1, [Item("01")], Job: "never-opened"), client.Ref);
        Assert.Equal(PutRejection.NoSuchJob, (await client.ExpectMsgAsync<PutRejected>(cancellationToken: Ct)).Reason);
        Assert.Equal("never-opened", (await AskAsync<JobUnknown>(new JoinJob("never-opened"))).JobId);

        var status = await StatusAsync();
        Assert.Equal(0L, status.Accepted);
    }

    private async Task OpenAsync(TestProbe client, string id, string name)
    {
        Queue.Tell(new OpenJob(id, name), client.Ref);
        var opened = await client.ExpectMsgAsync<JobStatus>(cancellationToken: Ct);
        Assert.Equal((id, name, JobPhase.Open), (opened.JobId, opened.Name, opened.Phase));
    }
}
