using System.Diagnostics;

namespace Minuet.ControlPlane.Agent.Network;

/// <summary>Runs a system tool (ip, setsid) to completion and returns its exit code and output; never throws for tool failures.</summary>
internal static class ToolRunner
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public bool Ok => ExitCode == 0;

        public string Describe(string what) => $"{what} failed (exit {ExitCode}): {Stderr.Trim()}";
    }

    /// <summary>The absolute path of a tool, looking in PATH and the sbin directories that non-login PATHs lack.</summary>
    public static string? Find(string tool)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(["/usr/sbin", "/sbin", "/usr/bin", "/bin"]))
        {
            var candidate = Path.Combine(dir, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    public static async Task<Result> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new Result(127, string.Empty, $"{fileName}: {e.Message}");
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeoutCts.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(timeoutCts.Token).ConfigureAwait(false);
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
                return new Result(124, string.Empty, $"{fileName} timed out after {timeout.TotalSeconds:0.#} s");
            }

            return new Result(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
        }
    }
}
