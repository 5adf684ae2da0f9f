using ActorPipeline.Tests.Fakes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serilog.Extensions.Logging;

namespace ActorPipeline.Tests.Host;

/// <summary>A journal's disk that fills mid-run is named in one line, once, and its recovery once.</summary>
public sealed class JournalDiskWatchSpecs
{
    private const string Full = "The journal {File} {Problem}: {Remedy}; until then the coordinator's writes fail.";
    private const string Room = "The disk holding the journal {File} has room again ({FreeKiB} KiB free).";

    [Fact]
    public void Should_say_once_that_the_disk_is_full_and_once_that_it_has_room_again()
    {
        var sink = new CapturingSink();
        using var serilog = new Serilog.LoggerConfiguration().WriteTo.Sink(sink).CreateLogger();
        using var loggers = new SerilogLoggerFactory(serilog);
        using var watch = new JournalDiskWatch(
            Options.Create(new PipelineOptions()), Options.Create(new NodeOptions()), TimeProvider.System, loggers.CreateLogger<JournalDiskWatch>());

        foreach (var free in new long?[] { 50_000_000, null, 900_000, 0, 0, 40_000_000, 40_000_000 })
        {
            watch.Check("/data/actor-pipeline.db", free);
        }

        var full = Assert.Single(sink.Events, e => e.MessageTemplate.Text == Full);
        Assert.Contains("the disk holding it is full (878 KiB free)", full.RenderMessage(), StringComparison.Ordinal);
        Assert.Contains("/data/actor-pipeline.db", full.RenderMessage(), StringComparison.Ordinal);
        Assert.Equal(1, sink.Count(Room));
        Assert.Equal(2, sink.Events.Count);
    }
}
