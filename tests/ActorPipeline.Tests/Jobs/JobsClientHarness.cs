using ActorPipeline.Hosting.Jobs;
using ActorPipeline.Hosting.Pipeline;
using ActorPipeline.Tests.Library;
using Akka.Actor;
using Akka.TestKit;
using Microsoft.Extensions.Time.Testing;

namespace ActorPipeline.Tests.Jobs;

/// <summary>The library's jobs client with a probe in the coordinator's place, for <see cref="WorkItem"/>s as JSON.</summary>
internal static class JobsClientHarness
{
    public static readonly DateTimeOffset ClientNow = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    public static PipelineParts<WorkItem> Parts { get; } =
        new(new JsonItemCodec<WorkItem>(), item => $"item {item}", typeof(WorkItemSource), typeof(object), null, null);

    public static PipelineJobs Client(TestProbe coordinator, int maxItems = 100, long maxPutBytes = 1_000_000, int maxItemBytes = 64 * 1024, TimeSpan? firstWait = null) =>
        new(
            _ => Task.FromResult<IActorRef>(coordinator.Ref),
            Parts,
            new JobClientSettings(maxItems, maxPutBytes, maxItemBytes, firstWait ?? TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), "node-a"),
            new FakeTimeProvider(ClientNow));

    public static IEnumerable<WorkItem> Items(int count, int producer = 0) => Enumerable.Range(1, count).Select(n => new WorkItem(producer, n));
}
