using System.Net.Sockets;
using Minuet.ControlPlane.Agent.Processes;

namespace Minuet.ControlPlane.Agent.Network;

/// <summary>
/// Creates sockets inside a named network namespace. A socket belongs to the namespace it was created in, so a
/// short-lived dedicated thread switches in with setns(2), creates the socket and switches back; the socket
/// then works from any thread. Pool threads are never switched.
/// </summary>
internal static class NetnsSockets
{
    public static Socket CreateTcp(string netns, AddressFamily family = AddressFamily.InterNetwork)
    {
        Socket? socket = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var original = File.OpenHandle("/proc/thread-self/ns/net");
                using var target = File.OpenHandle(Path.Combine("/var/run/netns", netns));
                int errno = AgentInterop.SetNs(target, AgentInterop.CLONE_NEWNET);
                if (errno != 0)
                {
                    failure = new IOException($"setns into {netns} failed: errno {errno}");
                    return;
                }

                try
                {
                    socket = new Socket(family, SocketType.Stream, ProtocolType.Tcp);
                }
                finally
                {
                    // If switching back fails the thread is about to end anyway; it never runs other work.
                    AgentInterop.SetNs(original, AgentInterop.CLONE_NEWNET);
                }
            }
            catch (IOException e)
            {
                failure = e;
            }
            catch (SocketException e)
            {
                failure = e;
            }
        })
        {
            IsBackground = true,
            Name = "netns-socket",
        };
        thread.Start();
        thread.Join();
        return socket ?? throw (failure ?? new IOException($"no socket created in {netns}"));
    }
}
