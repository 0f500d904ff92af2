using System.Net;
using System.Net.Sockets;

namespace Minuet.ControlPlane.Coordination;

/// <summary>One TCP connect to a leader's advertised address, closed at once: no request, nothing for the leader to parse.</summary>
internal static class TcpLeaderProbe
{
    public static async Task<ProbeResult> ProbeAsync(EndPoint target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(target, limit.Token).ConfigureAwait(false);
            return ProbeResult.Reached;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return ProbeResult.Refused;
        }
        catch (Exception e) when (e is SocketException || e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return ProbeResult.NoAnswer;
        }
    }

    /// <summary><c>ip</c> or host name and port as an endpoint; null for anything unusable (a foreign key value never crashes a standby).</summary>
    public static EndPoint? EndPointOf(string host, int port)
    {
        if (port is <= 0 or > 65535 || string.IsNullOrWhiteSpace(host))
        {
            return null;
        }

        return IPAddress.TryParse(host.Trim('[', ']'), out var ip) ? new IPEndPoint(ip, port) : new DnsEndPoint(host, port);
    }
}
