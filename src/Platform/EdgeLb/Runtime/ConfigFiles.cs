using System.Diagnostics;

namespace Minuet.Platform.EdgeLb.Runtime;

/// <summary>
/// The configuration on disk: a candidate is written next to the live file, checked with <c>haproxy -c</c>, then
/// renamed over it (atomic on one file system), the previous one kept as <c>haproxy.cfg.prev</c> so a reload that fails
/// can put it back.
/// </summary>
internal sealed class ConfigFiles(string dir)
{
    public string Live => Path.Combine(dir, "haproxy.cfg");

    private string Candidate => Path.Combine(dir, "haproxy.cfg.new");

    private string Previous => Path.Combine(dir, "haproxy.cfg.prev");

    /// <summary>Runs <c>haproxy -c</c> on <paramref name="text"/>; null when valid, else HAProxy's complaint.</summary>
    public async Task<string?> CheckAsync(string text, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(Candidate, text, cancellationToken).ConfigureAwait(false);
        var info = new ProcessStartInfo(HaproxyProcess.Binary, ["-c", "-q", "-f", Candidate])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var check = Process.Start(info)!;
        var stdout = check.StandardOutput.ReadToEndAsync(cancellationToken);
        string stderr = await check.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await check.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        string output = (await stdout.ConfigureAwait(false) + stderr).Trim();
        return check.ExitCode == 0 ? null : (output.Length == 0 ? $"haproxy -c exited with {check.ExitCode}" : output);
    }

    /// <summary>Puts the last checked candidate in place, keeping the old live file as the fallback.</summary>
    public void Install()
    {
        if (File.Exists(Live))
        {
            File.Copy(Live, Previous, overwrite: true);
        }

        File.Move(Candidate, Live, overwrite: true);
    }

    /// <summary>After a failed reload: the file HAProxy is still serving goes back in place.</summary>
    public void RestorePrevious()
    {
        if (File.Exists(Previous))
        {
            File.Copy(Previous, Live, overwrite: true);
        }
    }
}
