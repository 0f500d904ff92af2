using System.Text.Json;
using System.Text.Json.Serialization;

namespace Minuet.ControlPlane.Protocol;

/// <summary>JSON settings of the protocol: snake_case names, nulls left out, numbers strict.</summary>
internal static class ProtocolJson
{
    public static JsonSerializerOptions Options { get; } = new(ProtocolJsonContext.Default.Options);
}

/// <summary>Source-generated serializers for every protocol message (no reflection at runtime).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(RegisterAgentRequest))]
[JsonSerializable(typeof(RegisterAgentResponse))]
[JsonSerializable(typeof(HeartbeatRequest))]
[JsonSerializable(typeof(HeartbeatResponse))]
[JsonSerializable(typeof(LaunchTaskRequest))]
[JsonSerializable(typeof(KillTaskRequest))]
[JsonSerializable(typeof(TaskStatusUpdate))]
[JsonSerializable(typeof(StatusAcknowledgement))]
[JsonSerializable(typeof(ProtocolError))]
[JsonSerializable(typeof(AgentStateResponse))]
[JsonSerializable(typeof(FrameworkMessage))]
internal sealed partial class ProtocolJsonContext : JsonSerializerContext;
