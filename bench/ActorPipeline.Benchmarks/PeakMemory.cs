using System.Globalization;

namespace ActorPipeline.Benchmarks;

/// <summary>
/// A child process's peak resident memory, read from Linux's own high-water mark (VmHWM in
/// /proc/PID/status) while it runs: .NET's PeakWorkingSet64 of an exited process is not available on Linux.
/// </summary>
public static class PeakMemory
{
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(100);

    /// <summary>The largest VmHWM seen until the process is gone, in MiB; NaN where /proc is not there.</summary>
    public static async Task<double> WatchAsync(int pid)
    {
        var status = $"/proc/{pid}/status";
        var peakKb = -1L;
        using var timer = new PeriodicTimer(Every);
        do
        {
            var read = HighWaterKb(status);
            if (read is null)
            {
                break; // exited (the mark only grows, so the last read is within Every of the true peak)
            }

            peakKb = Math.Max(peakKb, read.Value);
        }
        while (await timer.WaitForNextTickAsync());

        return peakKb < 0 ? double.NaN : peakKb / 1024.0;
    }

    private static long? HighWaterKb(string status)
    {
        try
        {
            foreach (var line in File.ReadLines(status))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }

            return null; // a zombie's status has no memory lines
        }
        catch (IOException)
        {
            return null;
        }
    }
}
