using System.Text.Json.Serialization;
using Minuet.Platform.Jobs.Model;

namespace Minuet.Platform.Jobs.Storage;

/// <summary>The stored forms (one JSON row per record).</summary>
[JsonSourceGenerationOptions(UseStringEnumConverter = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(JobSpec))]
[JsonSerializable(typeof(JobStatus))]
[JsonSerializable(typeof(JobRun))]
internal sealed partial class JobStoreJsonContext : JsonSerializerContext;
