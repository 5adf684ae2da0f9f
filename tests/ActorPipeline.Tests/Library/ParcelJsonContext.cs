using System.Text.Json.Serialization;

namespace ActorPipeline.Tests.Library;

/// <summary>Source-generated metadata, as a trimmed service would give <see cref="JsonItemCodec{T}"/>; kebab case, so its use shows in the bytes.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.KebabCaseLower)]
[JsonSerializable(typeof(Parcel))]
internal sealed partial class ParcelJsonContext : JsonSerializerContext;
