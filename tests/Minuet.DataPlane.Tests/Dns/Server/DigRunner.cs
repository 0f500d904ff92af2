using System.Diagnostics;
using System.Net;

namespace Minuet.DataPlane.Tests.Dns.Server;

/// <summary>Runs dig against a local server (dig comes from dnsutils, installed by test.sh).</summary>
internal static class DigRunner
{
    public static bool Available => File.Exists("/usr/bin/dig");

    public static async Task<string> RunAsync(IPEndPoint server, string name, string type, params string[] extra)
    {
        var psi = new ProcessStartInfo("/usr/bin/dig")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { $"@{server.Address}", "-p", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "+tries=1", "+time=3", name, type }.Concat(extra))
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output;
    }
}
