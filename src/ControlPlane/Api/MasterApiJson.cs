using System.Text.Json.Serialization;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Api;

/// <summary>Source-generated JSON for the scheduler and operator APIs (snake_case, nulls omitted, like the agent protocol).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(SubscribeRequest))]
[JsonSerializable(typeof(AcceptRequest))]
[JsonSerializable(typeof(DeclineRequest))]
[JsonSerializable(typeof(KillRequest))]
[JsonSerializable(typeof(AcknowledgeRequest))]
[JsonSerializable(typeof(ReconcileRequest))]
[JsonSerializable(typeof(FrameworkCall))]
[JsonSerializable(typeof(ReservationRequest))]
[JsonSerializable(typeof(RoleConfigRequest))]
[JsonSerializable(typeof(SchedulerEvent))]
[JsonSerializable(typeof(ProtocolError))]
internal sealed partial class MasterApiJsonContext : JsonSerializerContext;
