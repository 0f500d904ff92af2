using System.Diagnostics;
using Minuet.ControlPlane.Agent.Processes;
using Minuet.IntegrationTests.EndToEnd;
using Minuet.IntegrationTests.L4lb;
using Minuet.TestSupport;

namespace Minuet.IntegrationTests.Cli;

/// <summary>
/// A script's background job (<c>cmd &amp;</c> in a non-interactive shell) starts with SIGINT ignored; the long-running
/// verbs still stop on SIGINT as on SIGTERM. Each is started here through <c>trap '' INT; exec ...</c>.
/// </summary>
public sealed class InheritedSigIgnTests
{
    [Fact]
    public async Task Master_StartedWithSigintIgnored_StopsOnSigint()
    {
        string dir = Path.Combine(Path.GetTempPath(), "minuet-sigign-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            using var master = SignalledCli.StartIgnoringSigint($"master --listen 127.0.0.1:{SignalledCli.FreePort()} --state-dir {dir}");
            await master.WaitForOutputAsync("listening on", TimeSpan.FromSeconds(60));

            Assert.Equal(0, AgentInterop.Kill(master.Process.Id, 2));

            Assert.Equal(0, await master.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [NetnsFact]
    public Task Up_StartedWithSigintIgnored_StopsEveryPartOnSigint() =>
        UpStopsEveryPartOnSigintAsync("msig-", (ns, dir) => SignalledCli.StartIgnoringSigint($"up --state-dir {dir} --l4lb off --no-docker", ns));

    [NetnsFact]
    public Task Up_UnprivilegedStartedWithSigintIgnored_StopsEveryPartOnSigint() =>
        // Unprivileged, up prints its "not root" line before it registers for signals; printing started the runtime's
        // signal handling while SIGINT was still ignored, so the runtime never took SIGINT and it ended up alone,
        // leaving every part running. Run as nobody from a copy of the build it can read.
        UpStopsEveryPartOnSigintAsync(
            "msigu-",
            (ns, dir) =>
            {
                string bin = Path.Combine(dir, "bin");
                NetnsRunner.Sh($"mkdir -p {bin} && cp -r {AppContext.BaseDirectory.TrimEnd('/')}/. {bin}/ && chown -R 65534:65534 {dir} && chmod -R a+rX {dir}");
                return SignalledCli.StartIgnoringSigint(
                    $"up --state-dir {dir}/state --no-docker",
                    ns,
                    launcher: $"setpriv --reuid=65534 --regid=65534 --clear-groups env HOME={dir} DOTNET_CLI_HOME={dir}",
                    dll: Path.Combine(bin, "minuet.dll"));
            },
            expectInBanner: "not root");

    /// <summary><c>up</c> started by <paramref name="start"/> (namespace, state dir) in a fresh namespace stops every part on SIGINT.</summary>
    private static async Task UpStopsEveryPartOnSigintAsync(string prefix, Func<string, string, SignalledCli> start, string? expectInBanner = null)
    {
        string ns = prefix + Guid.NewGuid().ToString("N")[..6];
        string dir = Path.Combine(Path.GetTempPath(), "minuet-" + ns);
        NetnsRunner.Sh($"ip netns add {ns} && ip -n {ns} link set lo up");
        try
        {
            using var up = start(ns, dir);
            await up.WaitForOutputAsync("Try:", TimeSpan.FromSeconds(120));
            if (expectInBanner is not null)
            {
                Assert.Contains(expectInBanner, up.Output, StringComparison.Ordinal);
            }

            Assert.Equal(0, AgentInterop.Kill(up.Process.Id, 2));

            Assert.Equal(0, await up.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("master     stopped", up.Output, StringComparison.Ordinal);
            Assert.Empty(NetnsRunner.TrySh($"ip netns pids {ns}").Output.Trim());
        }
        finally
        {
            NetnsRunner.TrySh($"for p in $(ip netns pids {ns}); do kill -9 $p; done; ip netns del {ns}");
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }
}
