using System.Text.Json.Serialization;

namespace Minuet.ControlPlane.Agent.Tasks;

/// <summary>Source-generated JSON for checkpoint files (same conventions as the protocol).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(TaskCheckpoint))]
[JsonSerializable(typeof(AgentCheckpoint))]
[JsonSerializable(typeof(Executors.ExecutorCheckpoint))]
internal sealed partial class CheckpointJson : JsonSerializerContext;
