namespace ActorPipeline.Hosting.Dashboard;

/// <summary>The body of a requeue or a discard: the dead letters by item id, or <c>"all": true</c> for every one (never by omission).</summary>
internal sealed record RequeueRequest(IReadOnlyList<long>? ItemIds, bool All)
{
    /// <summary>Why the request cannot be carried out as it stands; null when it can.</summary>
    public string? Problem =>
        All && ItemIds is { Count: > 0 } ? "give either itemIds or all: true, not both"
        : !All && ItemIds is not { Count: > 0 } ? "name the dead letters (itemIds: [...]) or say all: true"
        : null;
}
