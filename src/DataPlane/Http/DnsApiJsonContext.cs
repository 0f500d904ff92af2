using System.Text.Json.Serialization;
using Minuet.DataPlane.Dns.Records;

namespace Minuet.DataPlane.Http;

/// <summary>Source-generated JSON for the data-plane HTTP API (no reflection at request time).</summary>
[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(VersionResponse))]
[JsonSerializable(typeof(HostRow[]))]
[JsonSerializable(typeof(ServiceRow[]))]
[JsonSerializable(typeof(AxfrResponse))]
[JsonSerializable(typeof(DnsApiConfig))]
[JsonSerializable(typeof(EnumerateResponse))]
internal sealed partial class DnsApiJsonContext : JsonSerializerContext;

/// <summary><c>/v1/enumerate</c> in Mesos-DNS's shape.</summary>
public sealed record EnumerateResponse(
    [property: JsonPropertyName("frameworks")] IReadOnlyList<EnumerateFramework> Frameworks)
{
    public static EnumerateResponse From(EnumerationData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new([.. data.Frameworks.Select(f => new EnumerateFramework(
            [.. f.Tasks.Select(t => new EnumerateTask(t.Name, t.Id, [.. t.Records.Select(r => new EnumerateRecord(r.Name, r.Host, r.Rtype))]))],
            f.Name))]);
    }
}

/// <summary>A framework in <see cref="EnumerateResponse"/>.</summary>
public sealed record EnumerateFramework(
    [property: JsonPropertyName("tasks")] IReadOnlyList<EnumerateTask> Tasks,
    [property: JsonPropertyName("name")] string Name);

/// <summary>A task in <see cref="EnumerateResponse"/>.</summary>
public sealed record EnumerateTask(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("records")] IReadOnlyList<EnumerateRecord> Records);

/// <summary>A record in <see cref="EnumerateResponse"/>.</summary>
public sealed record EnumerateRecord(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("host")] string Host,
    [property: JsonPropertyName("rtype")] string Rtype);
