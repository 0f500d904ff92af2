using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Minuet.TestSupport;

namespace Minuet.IntegrationTests.L4lb;

/// <summary>
/// <c>--fail-open</c> with the daemon SIGKILLed: the VIP address is also bound by a listener in the client
/// namespace itself, so a SYN that reaches that listener is one that passed the queue rule un-NATed and was not
/// refused by Minuet's rules. Without the flag the same SYN is dropped by the reader-less queue.
/// </summary>
public sealed class FailOpenNetnsTests
{
    private static readonly IPEndPoint Vip = IPEndPoint.Parse("198.19.0.10:80");

    private static async Task<(string? Name, SocketError Error)> ConnectAfterSigkillAsync(params string[] extra)
    {
        using var topology = L4lbTopology.Create();
        var stateFile = Path.Combine(Path.GetTempPath(), $"minuet-l4fo-{topology.Id}.json");
        await File.WriteAllTextAsync(stateFile, StateFiles.Document([(0, "198.19.0.10:80")]));
        try
        {
            topology.InClient("ip addr add 198.19.0.10/32 dev lo");
            using var onVip = BackendServer.Start(topology.Client, "vip-itself", Vip.Address, Vip.Port);
            using var daemon = DataplaneDaemon.Start(topology.Client, stateFile, extra);
            var waited = Stopwatch.StartNew();
            string? name = null;
            while (name != "backend-1" && waited.Elapsed < TimeSpan.FromSeconds(30))
            {
                Assert.False(daemon.HasExited, "daemon exited:\n" + daemon.Output);
                name = (await topology.ConnectAsync(Vip, TimeSpan.FromMilliseconds(500))).Name;
                await Task.Delay(50);
            }

            Assert.True(name == "backend-1", "the VIP was never balanced; daemon output:\n" + daemon.Output);

            daemon.Kill();
            var (after, error, _) = await topology.ConnectAsync(Vip, TimeSpan.FromSeconds(2));
            return (after, error);
        }
        finally
        {
            File.Delete(stateFile);
        }
    }

    [NetnsFact]
    public async Task Connect_FailOpenDaemonSigkilled_SynPassesUnNatedAndIsNotRejected()
    {
        var (name, error) = await ConnectAfterSigkillAsync("--fail-open");

        Assert.Equal(SocketError.Success, error);
        Assert.Equal("vip-itself", name);
    }

    [NetnsFact]
    public async Task Connect_NoFailOpenDaemonSigkilled_SynDropped()
    {
        var (name, error) = await ConnectAfterSigkillAsync();

        Assert.Equal(SocketError.TimedOut, error);
        Assert.Null(name);
    }
}
