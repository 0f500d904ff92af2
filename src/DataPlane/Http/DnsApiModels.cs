using System.Text.Json.Serialization;

namespace Minuet.DataPlane.Http;

/// <summary><c>/v1/version</c>.</summary>
public sealed record VersionResponse(
    [property: JsonPropertyName("Service")] string Service,
    [property: JsonPropertyName("Version")] string Version,
    [property: JsonPropertyName("URL")] string Url);

/// <summary>One row of <c>/v1/hosts/{host}</c>.</summary>
public sealed record HostRow(
    [property: JsonPropertyName("host")] string Host,
    [property: JsonPropertyName("ip")] string Ip);

/// <summary>One row of <c>/v1/services/{service}</c> (the port is a string, as Mesos-DNS writes it).</summary>
public sealed record ServiceRow(
    [property: JsonPropertyName("service")] string Service,
    [property: JsonPropertyName("host")] string Host,
    [property: JsonPropertyName("ip")] string Ip,
    [property: JsonPropertyName("port")] string Port);

/// <summary><c>/v1/axfr</c>: the whole Mesos domain, names with trailing dots, SRV values as <c>target.:port</c>.</summary>
public sealed record AxfrResponse(
    [property: JsonPropertyName("TTL")] int Ttl,
    [property: JsonPropertyName("Serial")] uint Serial,
    [property: JsonPropertyName("RefreshSeconds")] int RefreshSeconds,
    [property: JsonPropertyName("Mname")] string Mname,
    [property: JsonPropertyName("Rname")] string Rname,
    [property: JsonPropertyName("Domain")] string Domain,
    [property: JsonPropertyName("Records")] AxfrRecords Records);

/// <summary>The record maps inside <see cref="AxfrResponse"/>.</summary>
public sealed record AxfrRecords(
    [property: JsonPropertyName("As")] IReadOnlyDictionary<string, IReadOnlyList<string>> As,
    [property: JsonPropertyName("AAAAs")] IReadOnlyDictionary<string, IReadOnlyList<string>> Aaaas,
    [property: JsonPropertyName("SRVs")] IReadOnlyDictionary<string, IReadOnlyList<string>> Srvs);

/// <summary>
/// <c>/v1/config</c>: the data plane's effective configuration under Mesos-DNS's Go field names where one exists.
/// It never carries secrets: the state URL is shown without user info or query.
/// </summary>
public sealed record DnsApiConfig
{
    [JsonPropertyName("Domain")] public string Domain { get; init; } = "mesos";

    [JsonPropertyName("TTL")] public int Ttl { get; init; } = 60;

    [JsonPropertyName("RefreshSeconds")] public double RefreshSeconds { get; init; } = 1;

    [JsonPropertyName("Listener")] public string Listener { get; init; } = "0.0.0.0";

    [JsonPropertyName("Port")] public int Port { get; init; } = 53;

    [JsonPropertyName("HTTPListener")] public string HttpListener { get; init; } = "127.0.0.1";

    [JsonPropertyName("HTTPPort")] public int HttpPort { get; init; } = 61421;

    [JsonPropertyName("Resolvers")] public IReadOnlyList<string> Resolvers { get; init; } = [];

    [JsonPropertyName("ExternalOn")] public bool ExternalOn { get; init; } = true;

    [JsonPropertyName("DNSOn")] public bool DnsOn { get; init; } = true;

    [JsonPropertyName("HTTPOn")] public bool HttpOn { get; init; } = true;

    [JsonPropertyName("SOAMname")] public string SoaMname { get; init; } = "ns1.mesos.";

    [JsonPropertyName("SOARname")] public string SoaRname { get; init; } = "root.ns1.mesos.";

    [JsonPropertyName("SOARefresh")] public int SoaRefresh { get; init; } = 60;

    [JsonPropertyName("SOARetry")] public int SoaRetry { get; init; } = 600;

    [JsonPropertyName("SOAExpire")] public int SoaExpire { get; init; } = 86400;

    [JsonPropertyName("SOAMinttl")] public int SoaMinttl { get; init; } = 60;

    [JsonPropertyName("IPSources")] public IReadOnlyList<string> IpSources { get; init; } = [];

    [JsonPropertyName("EnforceRFC952")] public bool EnforceRfc952 { get; init; }

    [JsonPropertyName("EnumerationOn")] public bool EnumerationOn { get; init; } = true;

    [JsonPropertyName("SRVRecordDefaultWeight")] public int SrvRecordDefaultWeight { get; init; } = 1;

    [JsonPropertyName("Masters")] public IReadOnlyList<string> Masters { get; init; } = [];

    [JsonPropertyName("StateFile")] public string? StateFile { get; init; }

    [JsonPropertyName("StateURL")] public string? StateUrl { get; init; }

    [JsonPropertyName("L4LB")] public bool L4lb { get; init; }
}
