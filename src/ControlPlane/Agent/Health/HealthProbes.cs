using System.Net;
using System.Net.Sockets;
using System.Text;
using Minuet.ControlPlane.Agent.Network;

namespace Minuet.ControlPlane.Agent.Health;

/// <summary>One health probe result; the cause says why it failed.</summary>
internal readonly record struct ProbeResult(bool Passed, string? Cause)
{
    public static ProbeResult Pass => new(true, null);

    public static ProbeResult Fail(string cause) => new(false, cause);
}

/// <summary>Runs one probe; the token fires at the check's timeout.</summary>
internal interface IHealthProbe
{
    Task<ProbeResult> ProbeAsync(CancellationToken cancellationToken);
}

/// <summary>
/// TCP connect to the task (127.0.0.1 on the host network, the task's own IP from inside its namespace otherwise).
/// </summary>
internal sealed class TcpProbe(IPAddress address, int port, string? netns) : IHealthProbe
{
    public async Task<ProbeResult> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var socket = ProbeSockets.Create(address, netns);
            await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken).ConfigureAwait(false);
            return ProbeResult.Pass;
        }
        catch (SocketException e)
        {
            return ProbeResult.Fail($"connect {address}:{port}: {e.SocketErrorCode}");
        }
        catch (OperationCanceledException)
        {
            return ProbeResult.Fail($"connect {address}:{port}: timed out");
        }
        catch (IOException e)
        {
            return ProbeResult.Fail(e.Message);
        }
    }
}

/// <summary>
/// HTTP GET with a fresh connection each time (pooled connections stalled Marathon's checks): passes on a
/// 200-399 status line within the timeout.
/// </summary>
internal sealed class HttpProbe(IPAddress address, int port, string path, string? netns) : IHealthProbe
{
    public async Task<ProbeResult> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var socket = ProbeSockets.Create(address, netns);
            await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken).ConfigureAwait(false);
            string host = address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]:{port}" : $"{address}:{port}";
            var request = Encoding.ASCII.GetBytes(
                $"GET {(path.StartsWith('/') ? path : "/" + path)} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: minuet-health\r\nConnection: close\r\n\r\n");
            await socket.SendAsync(request, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            var buffer = new byte[256];
            int filled = 0;
            while (filled < buffer.Length)
            {
                int read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                filled += read;
                if (Array.IndexOf(buffer, (byte)'\n', 0, filled) >= 0)
                {
                    break;
                }
            }

            return ParseStatus(Encoding.ASCII.GetString(buffer, 0, filled), address, port);
        }
        catch (SocketException e)
        {
            return ProbeResult.Fail($"GET {address}:{port}{path}: {e.SocketErrorCode}");
        }
        catch (OperationCanceledException)
        {
            return ProbeResult.Fail($"GET {address}:{port}{path}: timed out");
        }
        catch (IOException e)
        {
            return ProbeResult.Fail(e.Message);
        }
    }

    /// <summary>Reads <c>HTTP/1.x NNN</c> from the first line.</summary>
    internal static ProbeResult ParseStatus(string head, IPAddress address, int port)
    {
        int end = head.IndexOf('\n', StringComparison.Ordinal);
        string line = (end < 0 ? head : head[..end]).TrimEnd('\r');
        var parts = line.Split(' ', 3);
        if (parts.Length < 2 || !parts[0].StartsWith("HTTP/", StringComparison.Ordinal) ||
            !int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int status))
        {
            return ProbeResult.Fail($"{address}:{port} did not answer HTTP");
        }

        return status is >= 200 and < 400 ? ProbeResult.Pass : ProbeResult.Fail($"{address}:{port} answered {status}");
    }
}

/// <summary>A command in the task's sandbox (and namespace): passes on exit 0 within the timeout.</summary>
internal sealed class CommandProbe(IReadOnlyList<string> argv, IReadOnlyDictionary<string, string> environment, string workingDirectory) : IHealthProbe
{
    public async Task<ProbeResult> ProbeAsync(CancellationToken cancellationToken)
    {
        var info = new System.Diagnostics.ProcessStartInfo(argv[0])
        {
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in argv.Skip(1))
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Clear();
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        using var process = System.Diagnostics.Process.Start(info)!;
        var drainOut = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var drainErr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }

            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            return ProbeResult.Fail("command timed out");
        }

        await Task.WhenAll(drainOut, drainErr).ConfigureAwait(false);
        return process.ExitCode == 0 ? ProbeResult.Pass : ProbeResult.Fail($"command exited with status {process.ExitCode}");
    }
}

/// <summary>Probe sockets: made in the task's namespace when it has one.</summary>
internal static class ProbeSockets
{
    public static Socket Create(IPAddress address, string? netns) => netns is null
        ? new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
        : NetnsSockets.CreateTcp(netns, address.AddressFamily);
}
