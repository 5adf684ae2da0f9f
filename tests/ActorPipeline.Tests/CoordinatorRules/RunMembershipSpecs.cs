using ActorPipeline.Coordinator;
using ActorPipeline.Tests.Model;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Tests.CoordinatorRules;

/// <summary>
/// Which producers the run waits for when no total is configured (<c>--scale</c> of any role): those
/// that registered, those their node said it runs, and some for every producer node in the cluster.
/// </summary>
public sealed class RunMembershipSpecs
{
    private readonly ModelClient _joiner = new("joiner");
    private readonly ModelClient _consumer = new("consumer");

    [Fact]
    public void Should_wait_for_a_producer_node_that_is_in_the_cluster_but_has_not_registered_yet()
    {
        var q = new StateHarness(expectedProducers: 1);
        q.Do(s => s.ProducerNodeUp("node-a")).Do(s => s.ProducerNodeUp("node-b"));
        FinishedProducer(q, "node-a", nodeProducers: 1);

        q.Do(s => s.JoinRun(_joiner));

        Assert.Empty(q.Take<RunCompleted>(_joiner)); // node-b is in the cluster: its producers are still to come
        Assert.Equal(2, q.State.Status().ExpectedProducers);

        FinishedProducer(q, "node-b", nodeProducers: 1);
        var completed = Assert.Single(q.Take<RunCompleted>(_joiner));
        Assert.Equal((2, 2, 2L), (completed.Status.ExpectedProducers, completed.Status.ProducersDone, completed.Status.Completed));
    }

    [Fact]
    public void Should_wait_for_every_producer_a_node_says_it_runs_even_when_the_first_is_done_before_the_others_register()
    {
        var q = new StateHarness(expectedProducers: 1);
        FinishedProducer(q, "node-a", nodeProducers: 3, index: 0);
        q.Do(s => s.JoinRun(_joiner));

        Assert.Empty(q.Take<RunCompleted>(_joiner));
        Assert.Equal(3, q.State.Status().ExpectedProducers);

        FinishedProducer(q, "node-a", nodeProducers: 3, index: 1);
        Assert.Empty(q.Take<RunCompleted>(_joiner));
        FinishedProducer(q, "node-a", nodeProducers: 3, index: 2);
        Assert.Equal(3, Assert.Single(q.Take<RunCompleted>(_joiner)).Status.ProducersDone);
    }

    [Fact]
    public void Should_not_wait_for_a_producer_node_that_left_the_cluster_before_registering()
    {
        var q = new StateHarness(expectedProducers: 1);
        q.Do(s => s.ProducerNodeUp("node-a")).Do(s => s.ProducerNodeUp("node-b"));
        FinishedProducer(q, "node-a", nodeProducers: 1);
        q.Do(s => s.JoinRun(_joiner));
        Assert.Empty(q.Take<RunCompleted>(_joiner));

        q.Do(s => s.ProducerNodeGone("node-b"));

        Assert.Equal(1, Assert.Single(q.Take<RunCompleted>(_joiner)).Status.ProducersDone);
    }

    [Fact]
    public void Should_not_wait_for_the_rest_of_a_node_that_left_after_registering_some_of_its_producers()
    {
        var q = new StateHarness(expectedProducers: 1);
        q.Do(s => s.ProducerNodeUp("node-a"));
        FinishedProducer(q, "node-a", nodeProducers: 2, index: 0);
        q.Do(s => s.JoinRun(_joiner));
        Assert.Empty(q.Take<RunCompleted>(_joiner));

        q.Do(s => s.ProducerNodeGone("node-a"));

        Assert.Single(q.Take<RunCompleted>(_joiner));
    }

    [Fact]
    public void Should_keep_the_run_open_for_the_join_window_after_the_first_registration()
    {
        var q = new StateHarness(new QueueOptions { ProducerJoinWindow = TimeSpan.FromSeconds(10) }, expectedProducers: 1);
        FinishedProducer(q, "node-a", nodeProducers: 1);
        q.Do(s => s.JoinRun(_joiner));

        q.Time.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1));
        q.Do(s => s.Tick());
        Assert.Empty(q.Take<RunCompleted>(_joiner)); // a node that is still starting may yet join

        q.Time.Advance(TimeSpan.FromTicks(1));
        q.Do(s => s.Tick());
        Assert.Single(q.Take<RunCompleted>(_joiner));
    }

    [Fact]
    public void Should_wait_within_the_join_window_for_a_node_that_joins_late()
    {
        var q = new StateHarness(new QueueOptions { ProducerJoinWindow = TimeSpan.FromSeconds(10) }, expectedProducers: 1);
        FinishedProducer(q, "node-a", nodeProducers: 1);
        q.Do(s => s.JoinRun(_joiner));
        q.Time.Advance(TimeSpan.FromSeconds(9));
        q.Do(s => s.ProducerNodeUp("node-late"));

        q.Time.Advance(TimeSpan.FromSeconds(30));
        q.Do(s => s.Tick());
        Assert.Empty(q.Take<RunCompleted>(_joiner)); // it joined in time: the run is its too

        FinishedProducer(q, "node-late", nodeProducers: 1);
        Assert.Equal(2, Assert.Single(q.Take<RunCompleted>(_joiner)).Status.ProducersDone);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Should_remember_after_a_restart_how_many_producers_a_node_runs(bool fromSnapshot)
    {
        var q = new StateHarness(expectedProducers: 1);
        FinishedProducer(q, "node-a", nodeProducers: 2, index: 0);
        var snapshot = q.State.Snapshot();

        if (fromSnapshot)
        {
            q.Recover(snapshot, snapshotAt: q.Journal.Count);
        }
        else
        {
            q.Recover();
        }

        q.Do(s => s.JoinRun(_joiner));
        Assert.Empty(q.Take<RunCompleted>(_joiner));
        Assert.Equal(2, q.State.Status().ExpectedProducers);
        FinishedProducer(q, "node-a", nodeProducers: 2, index: 1);
        Assert.Equal(2, Assert.Single(q.Take<RunCompleted>(_joiner)).Status.ProducersDone);
    }

    [Fact]
    public void Should_still_honour_a_configured_floor()
    {
        var q = new StateHarness(expectedProducers: 2);
        FinishedProducer(q, "node-a", nodeProducers: 1);
        q.Do(s => s.JoinRun(_joiner));

        Assert.Empty(q.Take<RunCompleted>(_joiner));
        FinishedProducer(q, "node-b", nodeProducers: 1);
        Assert.Single(q.Take<RunCompleted>(_joiner));
    }

    /// <summary>A producer of <paramref name="node"/> registers, puts one item, which a consumer finishes, and is done.</summary>
    private void FinishedProducer(StateHarness q, string node, int nodeProducers, int index = 0)
    {
        var id = $"{node}/producer-{index}";
        var producer = new ModelClient(id);
        q.Do(s => s.RegisterProducer(producer, new RegisterProducer(id, node, nodeProducers)));
        q.Do(s => s.Put(producer, new Put(id, 1, [q.Item("0a")]))).Do(s => s.Get(_consumer, new Get(1)));
        q.Do(s => s.TaskDone(_consumer, new TaskDone(Assert.Single(q.SingleDelivery(_consumer).Items).DeliveryId)));
        q.Do(s => s.ProducerDone(producer, new ProducerDone(id, 1)));
    }
}
