using System.Text.Json.Serialization;

namespace Minuet.ControlPlane.Api.V1;

/// <summary>
/// Source-generated JSON for the v1 scheduler API in protobuf's JSON mapping as Mesos's stout reads and writes it:
/// snake_case proto names, unset fields left out, unknown keys ignored, numbers also as strings (and
/// <c>"Infinity"</c>), enum names as strings.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(V1Call))]
[JsonSerializable(typeof(V1Event))]
internal sealed partial class V1JsonContext : JsonSerializerContext;
