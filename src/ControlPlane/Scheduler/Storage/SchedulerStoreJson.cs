using System.Text.Json.Serialization;
using Minuet.ControlPlane.Scheduler.Deployments;

namespace Minuet.ControlPlane.Scheduler.Storage;

/// <summary>Source-generated JSON for stored scheduler records.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true)]
[JsonSerializable(typeof(StoredTask))]
[JsonSerializable(typeof(StoredApp))]
[JsonSerializable(typeof(StoredAppVersion))]
[JsonSerializable(typeof(StoredGroup))]
[JsonSerializable(typeof(DeploymentPlan))]
internal sealed partial class SchedulerStoreJsonContext : JsonSerializerContext;
