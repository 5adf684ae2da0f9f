using CsCheck;

namespace ActorPipeline.Tests.Model;

/// <summary>
/// Model-based specs of the coordinator's rules: thousands of generated operation sequences, each step
/// checked against the reference model in <see cref="ModelRun"/>. A failure names its seed and the
/// shrunk sequence; set CsCheck_Seed to that seed to replay it.
/// </summary>
public sealed class CoordinatorModelSpecs(ITestOutputHelper output)
{
    // Capacities: unbounded (asyncio's maxsize 0), tight enough that putters wait, and roomy.
    private static readonly Gen<(int Capacity, int[] Operations)> Sequences =
        Gen.Select(Gen.Int[0, 2].Select(i => new[] { 0, 2, 5 }[i]), Gen.Int[0, 1_000_000].Array[1, 120]);

    // Sequences per run; CsCheck_Iter overrides it for a longer hunt (CsCheck_Seed replays one failure).
    private const int SequencesPerRun = 10_000;

    [Fact]
    public void Should_agree_with_the_reference_model_after_every_step()
    {
        long steps = 0;
        Sequences.Sample(
            (capacity, operations) => { steps += ModelRun.Run(capacity, operations); },
            writeLine: output.WriteLine,
            iter: SequencesPerRun,
            threads: 1,
            print: sequence => $"capacity {sequence.Item1}: [{string.Join(", ", sequence.Item2)}] = {string.Join(" ", sequence.Item2.Select(QueueOperation.Decode))}");
        output.WriteLine($"{SequencesPerRun} sequences, {steps} steps");
    }

    // Sequences of the run with jobs; fewer, as each step checks every job and rebuilds them.
    private const int JobSequencesPerRun = 5_000;

    /// <summary>
    /// The same, with jobs: a few named jobs beside the run's, fed by clients' put keys, closed, cancelled, joined and
    /// forgotten, sharing the consumers by turns; every step checks each job's figures, replies and deliveries.
    /// </summary>
    [Fact]
    public void Should_agree_with_the_reference_model_with_jobs_after_every_step()
    {
        long steps = 0;
        Sequences.Sample(
            (capacity, operations) => { steps += ModelRun.Run(capacity, operations, withJobs: true); },
            writeLine: output.WriteLine,
            iter: JobSequencesPerRun,
            threads: 1,
            print: sequence => $"capacity {sequence.Item1}: [{string.Join(", ", sequence.Item2)}] = {string.Join(" ", sequence.Item2.Select(v => QueueOperation.Decode(v, withJobs: true)))}");
        output.WriteLine($"{JobSequencesPerRun} sequences, {steps} steps");
    }
}
