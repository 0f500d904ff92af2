using System.Diagnostics;
using Minuet.Native.Namespaces;

namespace Minuet.IntegrationTests.L4lb;

/// <summary>Runs tools and .NET code inside a named network namespace.</summary>
internal static class NetnsRunner
{
    /// <summary>Runs work on a fresh thread that entered the namespace; sockets created there belong to it.</summary>
    public static T Run<T>(string ns, Func<T> work)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                var entered = NetworkNamespace.TryEnter(NetworkNamespace.PathOf(ns));
                if (!entered.IsSuccess)
                {
                    throw new InvalidOperationException(entered.ToString());
                }

                result = work();
            }
#pragma warning disable CA1031 // rethrown on the caller's thread
            catch (Exception e)
#pragma warning restore CA1031
            {
                failure = e;
            }
        })
        { IsBackground = true };
        thread.Start();
        if (!thread.Join(TimeSpan.FromSeconds(60)))
        {
            throw new TimeoutException($"work in {ns} took over 60 s");
        }

        return failure is null ? result : throw new InvalidOperationException($"in {ns}: {failure.Message}", failure);
    }

    public static string Sh(string commandLine)
    {
        var (code, output) = TrySh(commandLine);
        return code == 0 ? output : throw new InvalidOperationException($"`{commandLine}` exited {code}: {output}");
    }

    public static (int Code, string Output) TrySh(string commandLine)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(commandLine);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            return (-1, "timed out");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
