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
/// <c>/v1/config</c>: the data plane's effective configuration as Mesos-DNS's <c>records.Config</c> (every exported
/// field under its JSON key, so API clients decoding Mesos-DNS's struct read it unchanged), plus the few Minuet-only
/// settings at the end. Settings with no counterpart here are zero or empty (see the Http README). It never carries
/// secrets: <c>MesosCredentials</c> is always empty and the state URL is shown without user info or query.
/// </summary>
public sealed record DnsApiConfig
{
    /// <summary>How often state is polled, whole seconds rounded up (Mesos-DNS's field is an int).</summary>
    [JsonPropertyName("RefreshSeconds")] public int RefreshSeconds { get; init; } = 1;

    [JsonPropertyName("Port")] public int Port { get; init; } = 53;

    /// <summary>Time allowed for each upstream resolver, in seconds.</summary>
    [JsonPropertyName("Timeout")] public int Timeout { get; init; } = 2;

    /// <summary>Time allowed for one state fetch, in seconds.</summary>
    [JsonPropertyName("StateTimeoutSeconds")] public int StateTimeoutSeconds { get; init; } = 5;

    /// <summary>Always 0: masters are found from <c>--masters</c> or a URL, never through ZooKeeper.</summary>
    [JsonPropertyName("ZkDetectionTimeout")] public int ZkDetectionTimeout { get; init; }

    // Mesos-DNS keeps these three keys in this spelling for its API clients (records/config.go).
    [JsonPropertyName("HttpPort")] public int HttpPort { get; init; } = 61421;

    [JsonPropertyName("TTL")] public int Ttl { get; init; } = 60;

    [JsonPropertyName("SRVRecordDefaultWeight")] public int SrvRecordDefaultWeight { get; init; } = 1;

    /// <summary>The serial of the SOA currently served (Unix time of the snapshot), 0 before the first one.</summary>
    [JsonPropertyName("SOASerial")] public uint SoaSerial { get; init; }

    [JsonPropertyName("SOARefresh")] public int SoaRefresh { get; init; } = 60;

    [JsonPropertyName("SOARetry")] public int SoaRetry { get; init; } = 600;

    [JsonPropertyName("SOAExpire")] public int SoaExpire { get; init; } = 86400;

    [JsonPropertyName("SOAMinttl")] public int SoaMinttl { get; init; } = 60;

    [JsonPropertyName("SOAMname")] public string SoaMname { get; init; } = "ns1.mesos.";

    [JsonPropertyName("SOARname")] public string SoaRname { get; init; } = "root.ns1.mesos.";

    [JsonPropertyName("Masters")] public IReadOnlyList<string> Masters { get; init; } = [];

    /// <summary>Always empty: every name outside the authoritative zones goes to <see cref="Resolvers"/>.</summary>
    [JsonPropertyName("ZoneResolvers")] public IReadOnlyDictionary<string, IReadOnlyList<string>> ZoneResolvers { get; init; } =
        new Dictionary<string, IReadOnlyList<string>>();

    [JsonPropertyName("Resolvers")] public IReadOnlyList<string> Resolvers { get; init; } = [];

    [JsonPropertyName("IPSources")] public IReadOnlyList<string> IpSources { get; init; } = [];

    /// <summary>Always empty: no ZooKeeper.</summary>
    [JsonPropertyName("Zk")] public string Zk { get; init; } = string.Empty;

    [JsonPropertyName("Domain")] public string Domain { get; init; } = "mesos";

    /// <summary>Always empty: the data plane is configured by command-line flags, not a config file.</summary>
    [JsonPropertyName("File")] public string File { get; init; } = string.Empty;

    [JsonPropertyName("Listener")] public string Listener { get; init; } = "0.0.0.0";

    [JsonPropertyName("HTTPListener")] public string HttpListener { get; init; } = "127.0.0.1";

    /// <summary>The RA bit on answers in the domain: set while forwarding is on.</summary>
    [JsonPropertyName("RecurseOn")] public bool RecurseOn { get; init; } = true;

    [JsonPropertyName("DnsOn")] public bool DnsOn { get; init; } = true;

    [JsonPropertyName("HttpOn")] public bool HttpOn { get; init; } = true;

    [JsonPropertyName("ExternalOn")] public bool ExternalOn { get; init; } = true;

    [JsonPropertyName("EnforceRFC952")] public bool EnforceRfc952 { get; init; }

    /// <summary>Always true: a truncated UDP answer has TC set, so clients retry over TCP.</summary>
    [JsonPropertyName("SetTruncateBit")] public bool SetTruncateBit { get; init; } = true;

    [JsonPropertyName("EnumerationOn")] public bool EnumerationOn { get; init; } = true;

    /// <summary>True when state comes from an https:// URL.</summary>
    [JsonPropertyName("MesosHTTPSOn")] public bool MesosHttpsOn { get; init; }

    /// <summary>Always empty: https uses the system's trust store.</summary>
    [JsonPropertyName("CACertFile")] public string CaCertFile { get; init; } = string.Empty;

    [JsonPropertyName("CertFile")] public string CertFile { get; init; } = string.Empty;

    [JsonPropertyName("KeyFile")] public string KeyFile { get; init; } = string.Empty;

    /// <summary>Always empty (Mesos-DNS shows its secret here in clear text; Minuet has no master credentials).</summary>
    [JsonPropertyName("MesosCredentials")] public MesosCredentialsConfig MesosCredentials { get; init; } = new(string.Empty, string.Empty);

    [JsonPropertyName("IAMConfigFile")] public string IamConfigFile { get; init; } = string.Empty;

    /// <summary>Always empty (Mesos-DNS: <c>""</c>, <c>basic</c> or <c>iam</c>).</summary>
    [JsonPropertyName("MesosAuthentication")] public string MesosAuthentication { get; init; } = string.Empty;

    // Minuet only: where state comes from, and whether the L4 balancer runs.
    [JsonPropertyName("StateFile")] public string? StateFile { get; init; }

    [JsonPropertyName("StateURL")] public string? StateUrl { get; init; }

    [JsonPropertyName("L4LB")] public bool L4lb { get; init; }
}

/// <summary>Mesos-DNS's <c>basic.Credentials</c>, kept only for its shape.</summary>
public sealed record MesosCredentialsConfig(
    [property: JsonPropertyName("Principal")] string Principal,
    [property: JsonPropertyName("Secret")] string Secret);
