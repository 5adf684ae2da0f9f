namespace ActorPipeline.Tests.Library;

/// <summary>An item with nested values, a list, a dictionary and nulls: what a JSON codec must carry whole.</summary>
internal sealed record Shipment(string Id, Parcel? Main, IReadOnlyList<Parcel> Parcels, Dictionary<string, int?> Counts, string? Note);
