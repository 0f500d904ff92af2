using System.Net;
using System.Net.Sockets;
using Minuet.Cli.Cluster;

namespace Minuet.IntegrationTests.Cli;

/// <summary>
/// <c>up</c> writes where it listens to its state dir; <c>dns</c>, <c>vips</c> (and <c>app</c>/<c>task</c>) use it
/// when no flag says otherwise, a flag still wins, and <c>vips</c> explains the 404 of a data plane without L4.
/// </summary>
public sealed class UpEndpointsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "minuet-endpoints-" + Guid.NewGuid().ToString("N")[..8]);

    public UpEndpointsTests() => Directory.CreateDirectory(_dir);

    [Fact]
    public void Write_ThenRead_WildcardListenBecomesLoopbackForClients()
    {
        var options = new UpOptions { StateDir = _dir, DnsListen = new IPEndPoint(IPAddress.Any, 8053), MarathonListen = new IPEndPoint(IPAddress.Loopback, 18080) };
        UpEndpoints.For(options, System.Environment.ProcessId).Write(_dir);

        var read = UpEndpoints.TryRead(Path.Combine(_dir, UpEndpoints.FileName), checkAlive: true);

        Assert.NotNull(read);
        Assert.Equal("127.0.0.1:8053", read.Dns);
        Assert.Equal("http://127.0.0.1:18080", read.Marathon);
        Assert.Equal("http://127.0.0.1:61421", read.Dataplane);
    }

    [Fact]
    public void TryRead_UpGone_IsIgnored()
    {
        File.WriteAllText(Path.Combine(_dir, UpEndpoints.FileName), """{"pid":2147483000,"master":"http://127.0.0.1:1","marathon":"http://127.0.0.1:2","dns":"127.0.0.1:3","dataplane":"http://127.0.0.1:4","l4lb":false}""");

        Assert.Null(UpEndpoints.TryRead(Path.Combine(_dir, UpEndpoints.FileName), checkAlive: true));
    }

    [Fact]
    public void Remove_AnotherUpsFile_IsKept()
    {
        UpEndpoints.For(new UpOptions { StateDir = _dir }, System.Environment.ProcessId).Write(_dir);

        UpEndpoints.Remove(_dir, System.Environment.ProcessId + 1);
        Assert.True(File.Exists(Path.Combine(_dir, UpEndpoints.FileName)));
        UpEndpoints.Remove(_dir, System.Environment.ProcessId);
        Assert.False(File.Exists(Path.Combine(_dir, UpEndpoints.FileName)));
    }

    [Fact]
    public async Task Dns_NoServerFlag_AsksTheRunningUpsDnsPort()
    {
        using var dns = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)dns.Client.LocalEndPoint!).Port;
        WriteEndpoints(dns: $"127.0.0.1:{port}", dataplane: "http://127.0.0.1:9");

        var run = CliProcess.RunAsync(StateDirEnvironment(), "dns", "web.marathon.mesos");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var query = await dns.ReceiveAsync(timeout.Token);

        Assert.True(query.Buffer.Length > 12, "a DNS query reached the port from endpoints.json");
        Assert.Equal(2, (await run).ExitCode);
    }

    [Fact]
    public async Task Vips_DataPlaneWithoutBalancer_Explains404()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        WriteEndpoints(dns: "127.0.0.1:9", dataplane: $"http://127.0.0.1:{port}");
        var serve = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            var buffer = new byte[4096];
            _ = await stream.ReadAsync(buffer);
            await stream.WriteAsync("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray());
        });

        var result = await CliProcess.RunAsync(StateDirEnvironment(), "vips");
        await serve;

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"the data plane at http://127.0.0.1:{port} answered 404 for /vips: its L4 balancer is off", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Vips_HttpFlag_WinsOverTheStateDir()
    {
        WriteEndpoints(dns: "127.0.0.1:9", dataplane: "http://127.0.0.1:9");

        var result = await CliProcess.RunAsync(StateDirEnvironment(), "vips", "--http", "http://127.0.0.1:1");

        Assert.Contains("http://127.0.0.1:1/vips", result.StdErr, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Dictionary<string, string> StateDirEnvironment() => new() { [UpEndpoints.StateDirVariable] = _dir };

    // This test process stands in for the running up: its pid is alive.
    private void WriteEndpoints(string dns, string dataplane) =>
        File.WriteAllText(Path.Combine(_dir, UpEndpoints.FileName), $$"""{"pid":{{System.Environment.ProcessId}},"master":"http://127.0.0.1:9","marathon":"http://127.0.0.1:9","dns":"{{dns}}","dataplane":"{{dataplane}}","l4lb":false}""");
}
