using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Minuet.Benchmarks.ControlPlane;

/// <summary>
/// One client connection to a VIP: connect, read the backend's name (the bench app writes its MESOS_TASK_ID and
/// closes), abort. The time kept is when connect() completed, i.e. when the chosen backend accepted.
/// </summary>
internal static class VipProbe
{
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromMilliseconds(200);

    /// <summary>Who answered and when connect() completed; null when refused, reset or timed out.</summary>
    public static async Task<(string Backend, DateTimeOffset ConnectedAt)?> AskAsync(IPEndPoint vip, CancellationToken cancel)
    {
        using var socket = new Socket(vip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        // Abort on close: thousands of probes per run must not leave TIME_WAIT sockets eating ephemeral ports.
        socket.LingerState = new LingerOption(true, 0);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(AttemptTimeout);
        try
        {
            await socket.ConnectAsync(vip, timeout.Token);
            var connectedAt = DateTimeOffset.UtcNow;
            var buffer = new byte[256];
            int total = 0;
            while (total < buffer.Length)
            {
                int n = await socket.ReceiveAsync(buffer.AsMemory(total), SocketFlags.None, timeout.Token);
                if (n == 0)
                {
                    break;
                }

                total += n;
            }

            return total == 0 ? null : (Encoding.ASCII.GetString(buffer, 0, total).Trim(), connectedAt);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            return null;
        }
        catch (SocketException)
        {
            return null;
        }
    }
}
