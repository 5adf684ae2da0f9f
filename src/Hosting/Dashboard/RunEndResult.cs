namespace ActorPipeline.Hosting.Dashboard;

/// <summary>The answer to ending the run.</summary>
/// <param name="ProducersEnded">Producers not yet done that now count as done.</param>
/// <param name="Unfinished">Accepted items still to settle before the run completes.</param>
/// <param name="AlreadyOver">The run had already finished or been ended; nothing changed.</param>
internal sealed record RunEndResult(int ProducersEnded, int Unfinished, bool AlreadyOver);
