namespace ActorPipeline.Coordinator.Observability;

/// <summary>
/// Seconds with exactly five decimals, as the seed prints them (<c>{x:0.00000}</c>), kept as a number:
/// a decimal remembers its scale, so text logs show <c>0.10000</c> and JSON logs carry a number.
/// </summary>
internal static class FixedSeconds
{
    public static decimal From(TimeSpan duration)
    {
        // One hundred ticks of 100 ns are 1e-5 s, the last printed digit.
        var units = (long)Math.Round(duration.Ticks / 100.0, MidpointRounding.AwayFromZero);
        var negative = units < 0;
        var magnitude = (ulong)Math.Abs(units);
        return new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), 0, negative, 5);
    }
}
