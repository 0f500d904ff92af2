using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Minuet.IntegrationTests.Dataplane;

/// <summary>
/// <c>minuet dataplane</c> running as a child process on 127.0.0.1 with free ports; killed (by its own pid) on dispose.
/// </summary>
internal sealed class DataplaneProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private DataplaneProcess(Process process, int dnsPort, int httpPort)
    {
        _process = process;
        DnsPort = dnsPort;
        HttpPort = httpPort;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int DnsPort { get; }

    public int HttpPort { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<DataplaneProcess> StartAsync(string stateFile, params string[] extra)
    {
        // A free port can be taken between choosing it and binding it on a busy machine: try again with new ports.
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(stateFile, extra);
            }
            catch (InvalidOperationException ex) when (attempt < 4 && ex.Message.Contains("already in use", StringComparison.Ordinal))
            {
            }
        }
    }

    private static async Task<DataplaneProcess> StartOnceAsync(string stateFile, string[] extra)
    {
        int dnsPort = FreePort(udpToo: true);
        int httpPort = FreePort(udpToo: false);
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "minuet.dll"));
        foreach (var a in new[] { "dataplane", "--state-file", stateFile, "--dns-listen", $"127.0.0.1:{dnsPort}", "--http-listen", $"127.0.0.1:{httpPort}", "--l4lb", "off" }.Concat(extra))
        {
            psi.ArgumentList.Add(a);
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start minuet");
        var running = new DataplaneProcess(process, dnsPort, httpPort);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (int attempt = 0; attempt < 150; attempt++)
        {
            if (process.HasExited)
            {
                break;
            }

            try
            {
                await http.GetStringAsync(new Uri($"http://127.0.0.1:{httpPort}/v1/version"));
                return running;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(200);
            }
            catch (TaskCanceledException)
            {
            }
        }

        string output = running.Output;
        await running.DisposeAsync();
        throw new InvalidOperationException($"minuet dataplane did not come up:\n{output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(timeout.Token);
        }

        _process.Dispose();
    }

    /// <summary>A loopback port free for TCP (and UDP when asked) right now.</summary>
    private static int FreePort(bool udpToo)
    {
        for (int attempt = 0; attempt < 20; attempt++)
        {
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            int port = ((IPEndPoint)tcp.LocalEndPoint!).Port;
            if (!udpToo)
            {
                return port;
            }

            try
            {
                using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
            }
        }

        throw new InvalidOperationException("no free loopback port");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
