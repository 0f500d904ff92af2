using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Minuet.DataPlane.Host;

namespace Minuet.DataPlane.Tests.Http;

/// <summary>One host for all tests of the class, on 127.0.0.1 with ports the kernel picks.</summary>
public sealed class RunningHostFixture : IAsyncLifetime
{
    private readonly string _dir = System.IO.Directory.CreateTempSubdirectory("minuet-http-").FullName;

    public DataPlaneHost Host { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public string Directory => _dir;

    public async Task InitializeAsync()
    {
        string state = Path.Combine(_dir, "state.json");
        await File.WriteAllBytesAsync(state, StateFixtures.Bytes(StateFixtures.Current));
        Host = await StartWithRetryAsync(new DataPlaneOptions
        {
            StateFile = state,
            HttpListen = new IPEndPoint(IPAddress.Loopback, 0),
            DnsListen = new IPEndPoint(IPAddress.Loopback, 0),
            L4lb = false,
            Forward = false,
        });
        Client = new HttpClient { BaseAddress = Host.HttpAddress, Timeout = TimeSpan.FromSeconds(10) };
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        System.IO.Directory.Delete(_dir, recursive: true);
    }

    /// <summary>
    /// Port 0 gives a free UDP port, but TCP on the same number can be taken by another process on a busy machine;
    /// a few attempts make that race irrelevant.
    /// </summary>
    internal static async Task<DataPlaneHost> StartWithRetryAsync(DataPlaneOptions options)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await DataPlaneHost.StartAsync(options, new DataPlaneHostServices { LoggerFactory = NullLoggerFactory.Instance });
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse && attempt < 5)
            {
            }
        }
    }
}

/// <summary>The Mesos-DNS HTTP API of a running host.</summary>
public sealed class DataPlaneHttpApiTests(RunningHostFixture fixture) : IClassFixture<RunningHostFixture>
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task Version_ReportsMesosDnsShape()
    {
        using var doc = await GetJsonAsync("/v1/version");
        Assert.True(doc.RootElement.TryGetProperty("Service", out _));
        Assert.True(doc.RootElement.TryGetProperty("Version", out _));
        Assert.True(doc.RootElement.TryGetProperty("URL", out _));
    }

    [Fact]
    public async Task Config_ShowsSettingsInMesosDnsNames()
    {
        using var doc = await GetJsonAsync("/v1/config");
        var root = doc.RootElement;
        Assert.Equal("mesos", root.GetProperty("Domain").GetString());
        Assert.Equal(60, root.GetProperty("TTL").GetInt32());
        Assert.Equal(["netinfo", "mesos", "host"], root.GetProperty("IPSources").EnumerateArray().Select(e => e.GetString()));
        Assert.False(root.GetProperty("ExternalOn").GetBoolean());
        Assert.Equal("ns1.mesos.", root.GetProperty("SOAMname").GetString());
    }

    /// <summary>
    /// Every exported field of Mesos-DNS's <c>records.Config</c> (records/config.go at e888ef40) under its JSON key:
    /// <c>HttpPort</c>, <c>DnsOn</c> and <c>HttpOn</c> carry explicit tags there, the rest are Go field names.
    /// </summary>
    internal static readonly string[] MesosDnsConfigKeys =
    [
        "RefreshSeconds", "Port", "Timeout", "StateTimeoutSeconds", "ZkDetectionTimeout", "HttpPort", "TTL",
        "SRVRecordDefaultWeight", "SOASerial", "SOARefresh", "SOARetry", "SOAExpire", "SOAMinttl", "SOAMname", "SOARname",
        "Masters", "ZoneResolvers", "Resolvers", "IPSources", "Zk", "Domain", "File", "Listener", "HTTPListener",
        "RecurseOn", "DnsOn", "HttpOn", "ExternalOn", "EnforceRFC952", "SetTruncateBit", "EnumerationOn", "MesosHTTPSOn",
        "CACertFile", "CertFile", "KeyFile", "MesosCredentials", "IAMConfigFile", "MesosAuthentication",
    ];

    /// <summary>The settings only Minuet has, documented in src/DataPlane/Http/README.md.</summary>
    internal static readonly string[] MinuetOnlyConfigKeys = ["StateFile", "StateURL", "L4LB"];

    [Fact]
    public async Task Config_KeySet_IsMesosDnsConfigStructPlusDocumentedExtras()
    {
        using var doc = await GetJsonAsync("/v1/config");
        var keys = doc.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal([.. MesosDnsConfigKeys.Concat(MinuetOnlyConfigKeys).Order(StringComparer.Ordinal)], keys);
        var credentials = doc.RootElement.GetProperty("MesosCredentials");
        Assert.Equal(["Principal", "Secret"], credentials.EnumerateObject().Select(p => p.Name));
        Assert.Equal(string.Empty, credentials.GetProperty("Secret").GetString());
    }

    [Fact]
    public async Task Config_Values_ReflectTheRunningSettings()
    {
        using var doc = await GetJsonAsync("/v1/config");
        var root = doc.RootElement;
        Assert.Equal(fixture.Host.HttpAddress.Port, root.GetProperty("HttpPort").GetInt32());
        Assert.Equal(fixture.Host.DnsEndPoint!.Port, root.GetProperty("Port").GetInt32());
        Assert.True(root.GetProperty("DnsOn").GetBoolean());
        Assert.True(root.GetProperty("HttpOn").GetBoolean());
        // Forwarding is off in this fixture, so answers carry no RA bit and no resolver is listed.
        Assert.False(root.GetProperty("RecurseOn").GetBoolean());
        Assert.Empty(root.GetProperty("Resolvers").EnumerateArray());
        Assert.True(root.GetProperty("SetTruncateBit").GetBoolean());
        Assert.Equal(fixture.Host.Store.Current!.Records!.Zone.Serial, root.GetProperty("SOASerial").GetUInt32());
        Assert.NotEqual(0u, root.GetProperty("SOASerial").GetUInt32());
        Assert.Equal(5, root.GetProperty("StateTimeoutSeconds").GetInt32());
        Assert.Equal(2, root.GetProperty("Timeout").GetInt32());
        Assert.Equal(0, root.GetProperty("ZkDetectionTimeout").GetInt32());
        Assert.Equal(string.Empty, root.GetProperty("Zk").GetString());
        Assert.Empty(root.GetProperty("ZoneResolvers").EnumerateObject());
        Assert.Equal(1, root.GetProperty("RefreshSeconds").GetInt32());
        // The SOA MINIMUM served is the negative-caching TTL (--negative-ttl, default 5), not the 60 s name TTL.
        Assert.Equal(5, root.GetProperty("SOAMinttl").GetInt32());
    }

    [Fact]
    public async Task Hosts_KnownName_ListsEveryAddress()
    {
        using var doc = await GetJsonAsync("/v1/hosts/Liquor-Store.marathon.mesos.");
        var rows = doc.RootElement.EnumerateArray().Select(r => (r.GetProperty("host").GetString(), r.GetProperty("ip").GetString())).ToArray();
        Assert.Equal([("liquor-store.marathon.mesos.", "1.2.3.11"), ("liquor-store.marathon.mesos.", "1.2.3.12")], rows);
    }

    [Fact]
    public async Task Hosts_FrameworkWithHostnameOnly_IsLookedUpAsMesosDnsDoes()
    {
        // The reference state's "no pid" framework (label "nopid": spaces are dropped) has only hostname "localhost".
        using var doc = await GetJsonAsync("/v1/hosts/nopid.mesos");
        var ips = doc.RootElement.EnumerateArray().Select(r => r.GetProperty("ip").GetString()).ToArray();
        Assert.Contains("127.0.0.1", ips);
    }

    [Fact]
    public async Task Hosts_UnknownName_ReturnsOneEmptyRowWith200()
    {
        var body = await Client.GetStringAsync(new Uri("/v1/hosts/nothing.mesos", UriKind.Relative));
        Assert.Equal("[{\"host\":\"\",\"ip\":\"\"}]", body);
    }

    [Fact]
    public async Task Services_SrvName_ListsTargetIpAndPortAsString()
    {
        using var doc = await GetJsonAsync("/v1/services/_car-store._tcp.marathon.mesos");
        var rows = doc.RootElement.EnumerateArray()
            .Select(r => $"{r.GetProperty("service").GetString()} {r.GetProperty("host").GetString()} {r.GetProperty("ip").GetString()} {r.GetProperty("port").GetString()}")
            .Order(StringComparer.Ordinal);
        Assert.Equal(
            [
                "_car-store._tcp.marathon.mesos car-store-zinaz-0.marathon.slave.mesos. 1.2.3.11 31364",
                "_car-store._tcp.marathon.mesos car-store-zinaz-0.marathon.slave.mesos. 1.2.3.11 31365",
            ],
            rows);
    }

    [Fact]
    public async Task Services_Unknown_ReturnsOneEmptyRow()
    {
        var body = await Client.GetStringAsync(new Uri("/v1/services/_nope._tcp.mesos", UriKind.Relative));
        Assert.Equal("[{\"service\":\"\",\"host\":\"\",\"ip\":\"\",\"port\":\"\"}]", body);
    }

    [Fact]
    public async Task HostPorts_IsNotImplemented()
    {
        using var response = await Client.GetAsync(new Uri("/v1/hosts/leader.mesos/ports", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
    }

    [Fact]
    public async Task Enumerate_ListsFrameworksTasksAndRecords()
    {
        using var doc = await GetJsonAsync("/v1/enumerate");
        var frameworks = doc.RootElement.GetProperty("frameworks").EnumerateArray().ToArray();
        Assert.Equal(4, frameworks.Length);
        var marathon = frameworks.Single(f => f.GetProperty("name").GetString() == "marathon");
        var nginx = marathon.GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "nginx");
        Assert.Contains(nginx.GetProperty("records").EnumerateArray(), r =>
            r.GetProperty("name").GetString() == "nginx.marathon.mesos." && r.GetProperty("host").GetString() == "10.3.0.3" && r.GetProperty("rtype").GetString() == "A");
    }

    [Fact]
    public async Task Axfr_ServesTheDomainWithTrailingDots()
    {
        using var doc = await GetJsonAsync("/v1/axfr");
        var root = doc.RootElement;
        Assert.Equal(60, root.GetProperty("TTL").GetInt32());
        Assert.Equal("ns1.mesos.", root.GetProperty("Mname").GetString());
        Assert.Equal("root.ns1.mesos.", root.GetProperty("Rname").GetString());
        Assert.Equal("mesos", root.GetProperty("Domain").GetString());
        Assert.True(root.GetProperty("Serial").GetUInt32() > 1_600_000_000);
        var records = root.GetProperty("Records");
        Assert.Equal(["1.2.3.4"], records.GetProperty("As").GetProperty("leader.mesos.").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["2001:db8::1"], records.GetProperty("AAAAs").GetProperty("slave.mesos.").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["slave.mesos.:5051"], records.GetProperty("SRVs").GetProperty("_slave._tcp.mesos.").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Metrics_PrometheusTextWithSnapshotAgeAndDnsCounters()
    {
        using var response = await Client.GetAsync(new Uri("/metrics", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("# TYPE minuet_dataplane_snapshot_age_seconds gauge", text, StringComparison.Ordinal);
        Assert.Contains("minuet_dataplane_snapshot_ok 1", text, StringComparison.Ordinal);
        Assert.Contains("minuet_dataplane_source_errors_total{kind=\"parse\"} 0", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE minuet_dns_queries_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE minuet_dns_query_duration_seconds histogram", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_L4lbOnWithoutBalancer_FailsWithClearMessage()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => DataPlaneHost.StartAsync(
            new DataPlaneOptions { StateFile = Path.Combine(fixture.Directory, "state.json"), L4lb = true },
            new DataPlaneHostServices { LoggerFactory = NullLoggerFactory.Instance }));
        Assert.Contains("--l4lb", ex.Message, StringComparison.Ordinal);
    }

    private async Task<JsonDocument> GetJsonAsync(string path)
    {
        using var response = await Client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}
