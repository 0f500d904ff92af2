using System.Diagnostics;

namespace Minuet.IntegrationTests.Dataplane;

/// <summary>Runs a command-line tool (dig, curl) with a timeout and returns its standard output.</summary>
internal static class Tool
{
    public static async Task<string> RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return await stdout + await stderr;
    }

    /// <summary><c>dig</c> against the data plane on 127.0.0.1 only, one try, short timeout.</summary>
    public static Task<string> DigAsync(int port, params string[] args) =>
        RunAsync("dig", ["@127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "+tries=1", "+time=3", .. args]);

    public static Task<string> CurlAsync(int port, string path) =>
        RunAsync("curl", ["-s", "--max-time", "10", $"http://127.0.0.1:{port}{path}"]);
}
