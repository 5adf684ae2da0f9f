namespace ActorPipeline.Tests.Library;

/// <summary>A plain record item, coded as JSON by default; its <c>ToString()</c> is what logs show unless told otherwise.</summary>
internal sealed record Parcel(string Label, int WeightGrams, string? Note = null);
