namespace ActorPipeline.Hosting.Dashboard;

/// <summary>The dead letters: how many, and the newest of them with their errors.</summary>
internal sealed record DeadLettersView(long Total, IReadOnlyList<DeadLetterView> Newest)
{
    public static readonly DeadLettersView None = new(0, []);
}
