namespace ActorPipeline.Hosting.Dashboard;

/// <summary>One job as <c>GET /api/overview/jobs/{id}</c> answers it: its row, who put into it, and its dead letters.</summary>
/// <param name="Job">Its figures, as in the list.</param>
/// <param name="Producers">Who put into it, and how many items each had accepted.</param>
/// <param name="DeadLetters">
/// Its dead letters, oldest first, at most <see cref="JobProtocol.JobStatus.MaxDeadLettersInStatus"/>;
/// <see cref="JobView.DeadLettered"/> counts them all.
/// </param>
internal sealed record JobDetailView(JobView Job, IReadOnlyList<JobProtocol.JobProducer> Producers, IReadOnlyList<DeadLetterView> DeadLetters);
