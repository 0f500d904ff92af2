using System.Diagnostics;

namespace Minuet.Native.Tests.Support;

/// <summary>Runs a tool with a timeout and captures its output.</summary>
internal static class Shell
{
    public static string Run(string file, string arguments, string? input = null)
    {
        var (code, output) = TryRun(file, arguments, input);
        if (code != 0)
        {
            throw new InvalidOperationException($"`{file} {arguments}` exited {code}: {output}");
        }

        return output;
    }

    public static (int ExitCode, string Output) TryRun(string file, string arguments, string? input = null, int timeoutMilliseconds = 20_000)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        if (input is not null)
        {
            process.StandardInput.Write(input);
            process.StandardInput.Close();
        }

        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeoutMilliseconds))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"timed out after {timeoutMilliseconds} ms");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
