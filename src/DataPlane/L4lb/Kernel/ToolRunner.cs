using System.Diagnostics;

namespace Minuet.DataPlane.L4lb.Kernel;

/// <summary>The outcome of running a tool: exit code and what it printed (stdout then stderr).</summary>
internal readonly record struct ToolResult(string Command, int ExitCode, string Output)
{
    public bool IsSuccess => ExitCode == 0;

    public override string ToString() => IsSuccess ? $"{Command}: ok" : $"{Command}: exit {ExitCode}: {Output.Trim()}";
}

/// <summary>
/// Runs iptables and iptables-restore (no .NET library speaks the iptables ABI). Errors come back as values
/// with the command and its output; a tool that hangs is killed after the timeout.
/// </summary>
internal static class ToolRunner
{
    public static async Task<ToolResult> RunAsync(string file, IReadOnlyList<string> arguments, string? input, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        string command = $"{file} {string.Join(' ', arguments)}";
        Process? process;
        try
        {
            process = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new ToolResult(command, -1, e.Message);
        }

        if (process is null)
        {
            return new ToolResult(command, -1, "could not start");
        }

        using (process)
        {
            if (input is not null)
            {
                await process.StandardInput.WriteAsync(input.AsMemory(), cancellationToken).ConfigureAwait(false);
                process.StandardInput.Close();
            }

            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                return new ToolResult(command, -1, "timed out or cancelled");
            }

            return new ToolResult(command, process.ExitCode, await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false));
        }
    }
}
