using ActorPipeline.Coordinator;
using ActorPipeline.Tests.Model;
using static ActorPipeline.Coordinator.Protocol.JobProtocol;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Tests.CoordinatorRules;

/// <summary>
/// Jobs, rule by rule on the pure state: each job's join is asyncio's join over its own items, a cancel discards
/// what is unfinished, puts go only into open jobs, jobs take turns at the consumers by weight (each in its own
/// order), settled jobs are forgotten past their retention, and a snapshot brings every job back as it was.
/// </summary>
public sealed class JobRuleSpecs
{
    private readonly ModelClient _operator = new("operator");
    private readonly ModelClient _joiner = new("joiner");
    private readonly ModelClient _consumer = new("consumer");
    private readonly Dictionary<string, long> _sequences = [];

    [Fact]
    public void Should_deliver_one_batch_across_jobs_when_a_jobs_queue_runs_out_within_it()
    {
        var q = new StateHarness();
        Open(q, "a");
        Open(q, "b");
        PutInto(q, "a", "a1");
        PutInto(q, "b", "b1", "b2");

        q.Do(s => s.Get(_consumer, new Get(3))); // one delivery of three: a's one item, then b's

        Assert.Equal(["a1", "b1", "b2"], Labels(q.SingleDelivery(_consumer)));
        Assert.Equal((0, 3), (q.State.Queued, q.State.InFlight));
    }

    // ---- rules ----

    [Fact]
    public void Should_not_requeue_the_dead_letters_of_a_settled_job()
    {
        var q = new StateHarness();
        Open(q, "a");
        Open(q, "b");
        PutInto(q, "a", "a1");
        PutInto(q, "b", "b1");
        q.Do(s => s.CloseJob(_operator, new CloseJob("a")));
        q.Do(s => s.Get(_consumer, new Get(2)));
        foreach (var delivered in q.SingleDelivery(_consumer).Items)
        {
            q.Do(s => s.TaskFailed(_consumer, new TaskFailed(delivered.DeliveryId, 3, "boom")));
        }

        Assert.Equal((JobPhase.Settled, 1L), (Job(q, "a").Phase, Job(q, "a").DeadLettered));
        q.Do(s => s.RequeueDeadLetters(_operator, new RequeueDeadLetters([1]))); // a1, item 1
        q.Do(s => s.RequeueDeadLetters(_operator, new RequeueDeadLetters([])));

        // a's dead letter is its report, and a is settled: passed over, by id or in a requeue of all; b's goes back.
        Assert.Equal([0, 1], q.Take<DeadLettersRequeuedAck>(_operator).Select(a => a.Count));
        Assert.Equal((JobPhase.Settled, 1L, 0L), (Job(q, "a").Phase, Job(q, "a").DeadLettered, Job(q, "a").Unfinished));
        Assert.Equal((0L, 1L), (Job(q, "b").DeadLettered, Job(q, "b").Unfinished));
    }

    [Fact]
    public void Should_answer_a_jobs_join_exactly_after_its_last_items_task_done_and_not_wait_for_another_jobs_items()
    {
        var q = new StateHarness();
        Open(q, "a");
        Open(q, "b");
        PutInto(q, "a", "a1", "a2");
        PutInto(q, "b", "b1");
        q.Do(s => s.CloseJob(_operator, new CloseJob("a")));
        q.Do(s => s.JoinJob(_joiner, new JoinJob("a")));
        q.Do(s => s.Get(_consumer, new Get(3)));
        var delivered = q.SingleDelivery(_consumer).Items.ToDictionary(i => i.Item.Hex, i => i.DeliveryId);

        q.Do(s => s.TaskDone(_consumer, new TaskDone(delivered["a1"])));
        Assert.Empty(q.Take<JobStatus>(_joiner)); // a2 is still in flight

        q.Do(s => s.TaskDone(_consumer, new TaskDone(delivered["a2"])));

        var status = Assert.Single(q.Take<JobStatus>(_joiner)); // b1, in flight, is b's, not a's
        Assert.Equal(("a", JobPhase.Settled, 2L, 2L, 0L), (status.JobId, status.Phase, status.Accepted, status.Completed, status.Unfinished));
        Assert.Contains(q.ToldOnceStored, t => t.To == _joiner && ReferenceEquals(t.Message, status)); // once its settling is stored
        Assert.Equal(1, q.State.InFlight);
        Assert.Equal(JobPhase.Open, Job(q, "b").Phase);
    }

    [Fact]
    public void Should_not_answer_a_join_of_an_open_job_even_with_nothing_unfinished()
    {
        var q = new StateHarness();
        Open(q, "a");
        q.Do(s => s.JoinJob(_joiner, new JoinJob("a")));

        Assert.Empty(q.Take<JobStatus>(_joiner)); // more may be put into it until it is closed

        q.Do(s => s.CloseJob(_operator, new CloseJob("a")));
        Assert.Equal(JobPhase.Settled, Assert.Single(q.Take<JobStatus>(_joiner)).Phase);
    }

    [Fact]
    public void Should_discard_a_cancelled_jobs_queued_and_in_flight_items_refuse_its_parked_put_and_answer_its_join()
    {
        var q = new StateHarness(new QueueOptions { Capacity = 2 });
        Open(q, "a");
        PutInto(q, "a", "a1");
        q.Do(s => s.Get(_consumer, new Get(1)));
        var inFlight = Assert.Single(q.SingleDelivery(_consumer).Items);
        var parked = PutInto(q, "a", "a2", "a3", "a4"); // two are in, one waits for room
        Assert.Equal((2, 1, 1), (q.State.Queued, q.State.InFlight, q.State.Status().ParkedPuts));
        q.Do(s => s.JoinJob(_joiner, new JoinJob("a")));

        q.Do(s => s.CancelJob(_operator, new CancelJob("a", "spec")));

        var rejected = Assert.Single(q.Take<PutRejected>(parked.Putter));
        Assert.Equal((PutRejection.JobClosed, 2), (rejected.Reason, rejected.Accepted));
        var joined = Assert.Single(q.Take<JobStatus>(_joiner));
        Assert.Equal((JobPhase.Cancelled, 3L, 3L, 0L), (joined.Phase, joined.Accepted, joined.Discarded, joined.Unfinished));
        Assert.Contains(q.ToldOnceStored, t => t.To == _joiner && ReferenceEquals(t.Message, joined));
        var answered = Assert.Single(q.Take<JobStatus>(_operator));
        Assert.Equal((JobPhase.Cancelled, 3L, 0L), (answered.Phase, answered.Discarded, answered.Unfinished));
        var queue = q.State.Status();
        Assert.Equal((0, 0, 3L, 0), (queue.Size, queue.InFlight, queue.Discarded, queue.ParkedPuts));

        q.Do(s => s.TaskDone(_consumer, new TaskDone(inFlight.DeliveryId))); // its consumer finishes it anyway
        Assert.Equal((0L, 1L), (q.State.Status().Completed, q.State.Status().DuplicateAcks));
    }

    [Fact]
    public void Should_refuse_a_put_into_a_closed_job_as_JobClosed_and_into_an_unknown_job_as_NoSuchJob()
    {
        var q = new StateHarness();
        Open(q, "a");
        Open(q, "b");
        PutInto(q, "a", "a1");
        q.Do(s => s.CloseJob(_operator, new CloseJob("a")));

        var closed = PutBy(q, "late", "a", "a2");
        var unknown = PutInto(q, "nope", "c1");
        var elsewhere = PutBy(q, "a", "b", "a3"); // a put key of job a: its sequence numbers are a's

        Assert.Equal(PutRejection.JobClosed, Assert.Single(q.Take<PutRejected>(closed.Putter)).Reason);
        Assert.Equal(PutRejection.NoSuchJob, Assert.Single(q.Take<PutRejected>(unknown.Putter)).Reason);
        Assert.Equal(PutRejection.JobClosed, Assert.Single(q.Take<PutRejected>(elsewhere.Putter)).Reason);
        Assert.Equal((1L, 0L), (Job(q, "a").Accepted, Job(q, "b").Accepted));
    }

    [Fact]
    public void Should_give_two_jobs_of_weights_1_and_3_turns_of_one_and_three_each_in_its_own_order()
    {
        var q = new StateHarness();
        Open(q, "light", weight: 1);
        Open(q, "heavy", weight: 3);
        PutInto(q, "light", [.. Enumerable.Range(1, 4).Select(i => $"a{i}")]);
        PutInto(q, "heavy", [.. Enumerable.Range(1, 12).Select(i => $"b{i:x}")]);

        List<string> order = [];
        for (var i = 0; i < 16; i++)
        {
            q.Do(s => s.Get(_consumer, new Get(1)));
            var delivered = Assert.Single(q.SingleDelivery(_consumer).Items);
            order.Add(delivered.Item.Hex);
            q.Do(s => s.TaskDone(_consumer, new TaskDone(delivered.DeliveryId)));
        }

        Assert.Equal(
            ["a1", "b1", "b2", "b3", "a2", "b4", "b5", "b6", "a3", "b7", "b8", "b9", "a4", "ba", "bb", "bc"],
            order);
    }

    [Fact]
    public void Should_hand_an_item_back_to_the_head_of_its_own_jobs_queue()
    {
        var q = new StateHarness();
        Open(q, "a");
        Open(q, "b");
        PutInto(q, "a", "a1", "a2");
        PutInto(q, "b", "b1", "b2");
        q.Do(s => s.Get(_consumer, new Get(1)));
        var first = Assert.Single(q.SingleDelivery(_consumer).Items); // a1: b's turn comes next

        q.Do(s => s.Release(_consumer, new Release([first.DeliveryId])));

        List<string> order = [];
        for (var i = 0; i < 4; i++)
        {
            q.Do(s => s.Get(_consumer, new Get(1)));
            var delivered = Assert.Single(q.SingleDelivery(_consumer).Items);
            order.Add(delivered.Item.Hex);
            q.Do(s => s.TaskDone(_consumer, new TaskDone(delivered.DeliveryId)));
        }

        Assert.Equal(["b1", "a1", "b2", "a2"], order);
    }

    [Fact]
    public void Should_forget_a_settled_job_past_its_retention_time_and_answer_JobUnknown_after()
    {
        var q = new StateHarness(new QueueOptions { Jobs = new JobOptions { Retention = new JobRetention { Time = TimeSpan.FromMinutes(1), Count = 10 } } });
        Open(q, "a");
        PutInto(q, "a", "a1");
        q.Do(s => s.CloseJob(_operator, new CloseJob("a")));
        Consume(q, 1);
        Assert.Equal(JobPhase.Settled, Job(q, "a").Phase);

        q.Time.Advance(TimeSpan.FromSeconds(59));
        q.Do(s => s.Tick());
        Assert.Contains(q.State.Jobs().Jobs, j => j.JobId == "a");

        q.Time.Advance(TimeSpan.FromSeconds(1));
        q.Do(s => s.Tick());

        Assert.DoesNotContain(q.State.Jobs().Jobs, j => j.JobId == "a");
        q.Do(s => s.GetJob(_operator, new GetJob("a"))).Do(s => s.JoinJob(_joiner, new JoinJob("a")));
        Assert.Equal(new JobUnknown("a"), Assert.Single(q.Take<JobUnknown>(_operator)));
        Assert.Equal(new JobUnknown("a"), Assert.Single(q.Take<JobUnknown>(_joiner)));
        Assert.Equal((0L, 0L), (q.State.Status().Accepted, q.State.Status().Completed)); // the queue's figures are the jobs' it remembers
        q.Recover();
        Assert.DoesNotContain(q.State.Jobs().Jobs, j => j.JobId == "a");
    }

    [Fact]
    public void Should_keep_only_the_newest_settled_jobs_past_the_retention_count()
    {
        var q = new StateHarness(new QueueOptions { Jobs = new JobOptions { Retention = new JobRetention { Time = TimeSpan.FromDays(1), Count = 1 } } });
        foreach (var id in new[] { "old", "new" })
        {
            Open(q, id);
            q.Do(s => s.CloseJob(_operator, new CloseJob(id)));
            q.Time.Advance(TimeSpan.FromSeconds(1));
        }

        q.Do(s => s.Tick());

        Assert.Equal(["new", JobIds.Run], q.State.Jobs().Jobs.Select(j => j.JobId));
    }

    [Fact]
    public void Should_restore_identical_job_statuses_from_a_snapshot_taken_mid_job()
    {
        var q = new StateHarness();
        Open(q, "a", weight: 2);
        Open(q, "b");
        PutInto(q, "a", "a1", "a2", "a3");
        PutInto(q, "b", "b1", "b2");
        q.Do(s => s.CloseJob(_operator, new CloseJob("a")));
        q.Do(s => s.Get(_consumer, new Get(3)));
        var delivered = q.SingleDelivery(_consumer).Items;
        q.Do(s => s.TaskDone(_consumer, new TaskDone(delivered[0].DeliveryId)));
        q.Do(s => s.TaskFailed(_consumer, new TaskFailed(delivered[1].DeliveryId, 3, "boom")));
        q.Do(s => s.Release(_consumer, new Release([delivered[2].DeliveryId])));
        var before = Statuses(q);

        q.Recover(q.State.Snapshot(), q.Journal.Count);

        Assert.Equal(before, Statuses(q));
        Assert.Contains("a Closed", before[0]);
        Assert.Contains("completed 1 dead 1", before[0]);

        q.Do(s => s.JoinJob(_joiner, new JoinJob("a")));
        Consume(q, 3); // a3, b1, b2
        var settled = Assert.Single(q.Take<JobStatus>(_joiner));
        Assert.Equal((JobPhase.Settled, 3L, 2L, 1L), (settled.Phase, settled.Accepted, settled.Completed, settled.DeadLettered));
    }

    // ---- helpers ----

    private void Open(StateHarness q, string id, int weight = 1)
    {
        q.Do(s => s.OpenJob(_operator, new OpenJob(id, $"job {id}", weight)));
        Assert.Contains(q.Take<JobStatus>(_operator), s => s.JobId == id && s.Phase == JobPhase.Open);
    }

    /// <summary>A put of these items (hex, or labels made hex) into a job, by a put key of that job (or the one named).</summary>
    private (ModelClient Putter, Put Put) PutInto(StateHarness q, string job, params string[] items) => PutInto(q, job, items, producer: job);

    private (ModelClient Putter, Put Put) PutInto(StateHarness q, string job, string[] items, string producer)
    {
        var seq = _sequences[producer] = _sequences.GetValueOrDefault(producer) + 1;
        var put = new Put(producer, seq, [.. items.Select(i => q.Item(Hex(i)))], Job: job);
        var putter = new ModelClient($"{producer}-{seq}");
        q.Do(s => s.Put(putter, put));
        return (putter, put);
    }

    private (ModelClient Putter, Put Put) PutBy(StateHarness q, string producer, string job, string item) => PutInto(q, job, [item], producer);

    /// <summary>Labels such as "a1" or "bc" are their own hex payloads (letters a–f only), as <see cref="QueueItem.Hex"/> shows them.</summary>
    private static string Hex(string label) => label;

    private static List<string> Labels(Delivery delivery) => [.. delivery.Items.Select(i => i.Item.Hex)];

    /// <summary>Takes and completes <paramref name="count"/> items one at a time.</summary>
    private void Consume(StateHarness q, int count)
    {
        for (var i = 0; i < count; i++)
        {
            q.Do(s => s.Get(_consumer, new Get(1)));
            q.Do(s => s.TaskDone(_consumer, new TaskDone(Assert.Single(q.SingleDelivery(_consumer).Items).DeliveryId)));
        }
    }

    private static JobStatus Job(StateHarness q, string id) => q.State.Jobs().Jobs.Single(j => j.JobId == id);

    /// <summary>Every job's status, one a line, but the run's opening time: that is its coordinator's start, not journaled.</summary>
    private static List<string> Statuses(StateHarness q) =>
    [
        .. q.State.Jobs().Jobs.Select(j =>
            $"{j.JobId} {j.Phase} w{j.Weight} accepted {j.Accepted} completed {j.Completed} dead {j.DeadLettered} discarded {j.Discarded} queued {j.Queued} in flight {j.InFlight} "
            + $"opened {(j.JobId == JobIds.Run ? "-" : j.OpenedAt)} closed {j.ClosedAt} settled {j.SettledAt} producers {string.Join(",", j.Producers.Select(p => $"{p.ProducerId}={p.Accepted}"))}"),
    ];
}
