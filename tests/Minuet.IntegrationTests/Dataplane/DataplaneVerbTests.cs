namespace Minuet.IntegrationTests.Dataplane;

/// <summary>
/// <c>minuet dataplane</c> as users run it: a process with a state file, queried with <c>dig</c> over UDP and TCP and
/// with <c>curl</c> on the HTTP API. Everything stays on 127.0.0.1; the addresses in the state are only served.
/// </summary>
public sealed class DataplaneVerbTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("minuet-dataplane-").FullName;
    private string _state = string.Empty;

    public Task InitializeAsync()
    {
        _state = Path.Combine(_dir, "s.json");
        File.Copy(Fixture("state-fake.json"), _state);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Dataplane_StateFile_AnswersDigOverUdpAndTcpAndServesV1Api()
    {
        await using var dp = await DataplaneProcess.StartAsync(_state, "--no-forward");

        var a = await Tool.DigAsync(dp.DnsPort, "+short", "liquor-store.marathon.mesos", "A");
        Assert.Equal(["1.2.3.11", "1.2.3.12"], Lines(a).Order(StringComparer.Ordinal));

        var srv = await Tool.DigAsync(dp.DnsPort, "+tcp", "+short", "_liquor-store._tcp.marathon.mesos", "SRV");
        Assert.Equal(
            ["0 1 443 liquor-store-4dfjd-0.marathon.mesos.", "0 1 443 liquor-store-zasmd-1.marathon.mesos.", "0 1 80 liquor-store-4dfjd-0.marathon.mesos.", "0 1 80 liquor-store-zasmd-1.marathon.mesos."],
            Lines(srv).Order(StringComparer.Ordinal));

        var aaaa = await Tool.DigAsync(dp.DnsPort, "+short", "toy-store.ipv6-framework.mesos", "AAAA");
        Assert.Equal(["fd01:b::1:8000:2"], Lines(aaaa));

        var nx = await Tool.DigAsync(dp.DnsPort, "nothing-here.marathon.mesos", "A");
        Assert.Contains("status: NXDOMAIN", nx, StringComparison.Ordinal);

        var refused = await Tool.DigAsync(dp.DnsPort, "example.com", "A");
        Assert.Contains("status: REFUSED", refused, StringComparison.Ordinal);

        var hosts = await Tool.CurlAsync(dp.HttpPort, "/v1/hosts/nginx.marathon.mesos");
        Assert.Equal("[{\"host\":\"nginx.marathon.mesos.\",\"ip\":\"10.3.0.3\"}]", hosts);

        var services = await Tool.CurlAsync(dp.HttpPort, "/v1/services/_framework._tcp.marathon.mesos");
        Assert.Equal("[{\"service\":\"_framework._tcp.marathon.mesos\",\"host\":\"marathon.mesos.\",\"ip\":\"1.2.3.11\",\"port\":\"25501\"}]", services);

        var axfr = await Tool.CurlAsync(dp.HttpPort, "/v1/axfr");
        Assert.Contains("\"_leader._tcp.mesos.\":[\"leader.mesos.:5050\"]", axfr, StringComparison.Ordinal);

        var enumerate = await Tool.CurlAsync(dp.HttpPort, "/v1/enumerate");
        Assert.Contains("\"name\":\"chronos with a space AND MIXED CASE-2.0.1\"", enumerate, StringComparison.Ordinal);

        var metrics = await Tool.CurlAsync(dp.HttpPort, "/metrics");
        Assert.Contains("minuet_dns_queries_total{qtype=\"A\",rcode=\"NOERROR\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("minuet_dataplane_snapshot_age_seconds", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dataplane_StateFileChanges_ServesNewRecordsAndKeepsThemOnBadWrite()
    {
        await using var dp = await DataplaneProcess.StartAsync(_state, "--no-forward");
        Assert.Equal(2, Lines(await Tool.DigAsync(dp.DnsPort, "+short", "toy-store.ipv6-framework.mesos", "A")).Length);

        // The DC/OS 1.13 document gives toy-store one IPv4 address instead of two. It is renamed into place so the
        // watcher never reads half a copy (a half copy is a parse error and would move the counter below).
        string staged = _state + ".tmp";
        File.Copy(Fixture("state-fake-dcos-1.13.json"), staged, overwrite: true);
        File.Move(staged, _state, overwrite: true);
        string[] now = [];
        for (int i = 0; i < 50 && now.Length != 1; i++)
        {
            await Task.Delay(200);
            now = Lines(await Tool.DigAsync(dp.DnsPort, "+short", "toy-store.ipv6-framework.mesos", "A"));
        }

        Assert.Equal(["12.0.1.2"], now);

        // A truncate-then-write may be seen more than once (empty, then half a document), so the proof is that the
        // parse-error count rose, not that it is exactly one.
        long before = ParseErrors(await Tool.CurlAsync(dp.HttpPort, "/metrics"));
        await File.WriteAllTextAsync(_state, "{\"frameworks\": [ {");
        long after = before;
        for (int i = 0; i < 100 && after <= before; i++)
        {
            await Task.Delay(200);
            after = ParseErrors(await Tool.CurlAsync(dp.HttpPort, "/metrics"));
        }

        Assert.True(after > before, $"minuet_dataplane_source_errors_total{{kind=\"parse\"}} stayed at {before}");
        Assert.Equal(["12.0.1.2"], Lines(await Tool.DigAsync(dp.DnsPort, "+short", "toy-store.ipv6-framework.mesos", "A")));
        Assert.Contains("keeping last good snapshot", dp.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dataplane_InvalidOptions_ExitsWithErrorsNamingOptions()
    {
        var result = await Cli.CliProcess.RunAsync("dataplane", "--state-file", _state, "--ttl", "soon", "--label-spec", "rfc1", "--l4lb", "off");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--ttl:", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("--label-spec:", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dataplane_L4lbOnWithBadVipRange_ExitsBeforeTouchingTheKernel()
    {
        // Option errors are reported before the balancer starts, so this never programs the host's netfilter.
        var result = await Cli.CliProcess.RunAsync("dataplane", "--state-file", _state, "--dns-listen", "127.0.0.1:0",
            "--http-listen", "127.0.0.1:0", "--l4lb", "on", "--vip-range", "300.0.0.0/8");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--vip-range:", result.StdErr, StringComparison.Ordinal);
    }

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "mesos-dns", name);

    private static long ParseErrors(string metrics)
    {
        const string Name = "minuet_dataplane_source_errors_total{kind=\"parse\"} ";
        foreach (var line in metrics.Split('\n'))
        {
            if (line.StartsWith(Name, StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(Name.Length).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    private static string[] Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => !l.StartsWith(';')).ToArray();
}
