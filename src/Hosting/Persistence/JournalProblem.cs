namespace ActorPipeline.Hosting.Persistence;

/// <summary>Why this node cannot use its SQLite journal, and what the operator can do: one log line, then exit 1.</summary>
/// <param name="File">The journal's full path.</param>
/// <param name="Problem">What is wrong with it, phrased to follow the file's name ("is not a SQLite database").</param>
/// <param name="Remedy">What to do about it.</param>
internal sealed record JournalProblem(string File, string Problem, string Remedy);
