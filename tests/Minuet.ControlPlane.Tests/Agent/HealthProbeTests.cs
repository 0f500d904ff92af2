using System.Net;
using System.Net.Sockets;
using System.Text;
using Minuet.ControlPlane.Agent.Health;

namespace Minuet.ControlPlane.Tests.Agent;

public sealed class HealthProbeTests
{
    [Fact]
    public async Task TcpProbe_ListeningPort_PassesAndClosedPortFails()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var open = await new TcpProbe(IPAddress.Loopback, port, null).ProbeAsync(Timeout());
        listener.Stop();
        var closed = await new TcpProbe(IPAddress.Loopback, port, null).ProbeAsync(Timeout());

        Assert.True(open.Passed);
        Assert.False(closed.Passed);
        Assert.Contains("ConnectionRefused", closed.Cause, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(200, true)]
    [InlineData(302, true)]
    [InlineData(404, false)]
    [InlineData(503, false)]
    public async Task HttpProbe_StatusCode_PassesOnlyFor200To399(int status, bool expected)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        string? requestLine = null;
        var server = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            using var stream = client.GetStream();
            var buffer = new byte[1024];
            int read = await stream.ReadAsync(buffer);
            requestLine = Encoding.ASCII.GetString(buffer, 0, read).Split("\r\n")[0];
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
        });

        var result = await new HttpProbe(IPAddress.Loopback, port, "/health", null).ProbeAsync(Timeout());
        await server;

        Assert.Equal(expected, result.Passed);
        Assert.Equal("GET /health HTTP/1.1", requestLine);
    }

    [Fact]
    public async Task HttpProbe_ServerNeverAnswers_FailsAtTimeout()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;

        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var result = await new HttpProbe(IPAddress.Loopback, port, "/", null).ProbeAsync(cts.Token);

        Assert.False(result.Passed);
        Assert.Contains("timed out", result.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseStatus_NotHttp_FailsWithCause()
    {
        var result = HttpProbe.ParseStatus("SSH-2.0-OpenSSH\r\n", IPAddress.Loopback, 22);

        Assert.False(result.Passed);
        Assert.Contains("did not answer HTTP", result.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CommandProbe_ExitCode_DecidesAndTimeoutKills()
    {
        var env = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin", ["WANT"] = "0" };
        string dir = Path.GetTempPath();

        var pass = await new CommandProbe(["/bin/sh", "-c", "exit $WANT"], env, dir).ProbeAsync(Timeout());
        var fail = await new CommandProbe(["/bin/sh", "-c", "exit 1"], env, dir).ProbeAsync(Timeout());
        using var short_ = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var slow = await new CommandProbe(["/bin/sh", "-c", "sleep 10"], env, dir).ProbeAsync(short_.Token);

        Assert.True(pass.Passed);
        Assert.False(fail.Passed);
        Assert.False(slow.Passed);
        Assert.Contains("timed out", slow.Cause, StringComparison.Ordinal);
    }

    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token;
}
