using ActorPipeline.Coordinator.Protocol;
using ActorPipeline.Producers;
using ActorPipeline.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Tests.Jobs;

/// <summary>A producer's puts name its job: the batch run's unless it is given a service node's job.</summary>
public sealed class ProducerJobSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit.TestKit(output: output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(null, JobIds.Run)]
    [InlineData("producers.node-a", "producers.node-a")]
    public async Task Should_put_into_the_job_it_is_given(string? job, string expected)
    {
        var coordinator = CreateTestProbe();
        var options = new ProducerOptions { Count = 1, BatchSize = 10 };
        var source = new CountingItemSource(itemsPerProducer: 3);
        var props = job is null
            ? ProducerActor.Props(0, "node-a/producer-0", source, coordinator.Ref, options, NullLogger<ProducerActor>.Instance, node: "node-a")
            : ProducerActor.Props(0, "node-a/producer-0", source, coordinator.Ref, options, NullLogger<ProducerActor>.Instance, node: "node-a", job: job);
        Sys.ActorOf(props);

        await coordinator.ExpectMsgAsync<RegisterProducer>(cancellationToken: Ct);
        coordinator.Reply(new ProducerRegistered("node-a/producer-0", 0, 0));
        var put = await coordinator.ExpectMsgAsync<Put>(cancellationToken: Ct);

        Assert.Equal((expected, true, 1L), (put.Job, put.Wait, put.SequenceNr));
    }
}
