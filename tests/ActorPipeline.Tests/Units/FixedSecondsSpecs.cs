using System.Globalization;
using ActorPipeline.Coordinator;

namespace ActorPipeline.Tests.Units;

public sealed class FixedSecondsSpecs
{
    [Theory]
    [InlineData(1_200, "0.00012")] // 120 µs, the seed's example
    [InlineData(1_000_000, "0.10000")]
    [InlineData(628_958_612, "62.89586")]
    [InlineData(0, "0.00000")]
    [InlineData(49, "0.00000")]
    [InlineData(50, "0.00001")]
    [InlineData(-1_200, "-0.00012")]
    public void Should_print_seconds_with_exactly_five_decimals(long ticks, string expected)
    {
        Assert.Equal(expected, FixedSeconds.From(TimeSpan.FromTicks(ticks)).ToString(CultureInfo.InvariantCulture));
    }
}
