using System.Net.Sockets;
using System.Text;

namespace Minuet.Platform.EdgeLb.Runtime;

/// <summary>HAProxy's runtime API on the admin stats socket: one command per connection, the answer read to EOF.</summary>
internal sealed class RuntimeApi(string socketPath)
{
    public async Task<string> SendAsync(string command, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
        await socket.SendAsync(Encoding.ASCII.GetBytes(command + "\n"), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        using var stream = new NetworkStream(socket, ownsSocket: false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>HAProxy answers a good change with an empty line or a notice; errors name themselves.</summary>
    public static bool LooksFailed(string answer) =>
        answer.Contains("No such", StringComparison.OrdinalIgnoreCase)
        || answer.Contains("Unknown", StringComparison.OrdinalIgnoreCase)
        || answer.Contains("error", StringComparison.OrdinalIgnoreCase)
        || answer.Contains("failed", StringComparison.OrdinalIgnoreCase)
        || answer.Contains("cannot", StringComparison.OrdinalIgnoreCase)
        || answer.Contains("Require", StringComparison.OrdinalIgnoreCase)
        || answer.Contains("already", StringComparison.OrdinalIgnoreCase)
        || answer.Contains("not ", StringComparison.OrdinalIgnoreCase);
}
