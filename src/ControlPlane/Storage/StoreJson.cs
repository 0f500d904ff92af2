using System.Text.Json.Serialization;

namespace Minuet.ControlPlane.Storage;

/// <summary>Source-generated JSON for stored rows (same conventions as the wire protocol: snake_case, nulls omitted).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StoredAgent))]
[JsonSerializable(typeof(StoredFramework))]
[JsonSerializable(typeof(StoredTask))]
[JsonSerializable(typeof(Protocol.ResourceSet))]
[JsonSerializable(typeof(List<StoredQuota>))]
[JsonSerializable(typeof(List<string>))]
internal sealed partial class StoreJsonContext : JsonSerializerContext;
