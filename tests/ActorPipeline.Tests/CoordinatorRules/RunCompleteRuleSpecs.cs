using ActorPipeline.Tests.Model;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Tests.CoordinatorRules;

/// <summary>
/// The run-complete rule is the coordinator's alone: the status it hands out (to the page, the runner) carries its
/// answer, so a reader that sees every expected producer done cannot call the run complete while the coordinator
/// still waits for a producer node in its join window (fake clock).
/// </summary>
public sealed class RunCompleteRuleSpecs
{
    [Fact]
    public void Should_report_the_run_incomplete_in_its_status_while_the_join_window_is_open_and_complete_after()
    {
        var q = new StateHarness(new QueueOptions { ProducerJoinWindow = TimeSpan.FromSeconds(10) }, expectedProducers: 1);
        var producer = new ModelClient("producer-0");
        q.Do(s => s.RegisterProducer(producer, new RegisterProducer("p-0", "node-a", 1))).Do(s => s.ProducerDone(producer, new ProducerDone("p-0", 0)));

        var early = q.State.Status();
        Assert.Equal((1, 1, 0), (early.ExpectedProducers, early.ProducersDone, early.Unfinished)); // every count says "over"…
        Assert.False(early.IsRunComplete); // …but another producer node may still join
        Assert.Equal(q.State.IsRunComplete, early.IsRunComplete);

        q.Time.Advance(TimeSpan.FromSeconds(10));
        q.Do(s => s.Tick());

        Assert.True(q.State.Status().IsRunComplete);
    }
}
