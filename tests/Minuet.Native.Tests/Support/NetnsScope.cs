using System.Diagnostics;
using Minuet.Native.Namespaces;

namespace Minuet.Native.Tests.Support;

/// <summary>
/// A fresh network namespace for one test (`ip netns add minuet-nt-XXXX`), deleted on dispose. Runs shell tools
/// inside it with `ip netns exec`, and .NET code on a dedicated thread that entered it with setns.
/// </summary>
internal sealed class NetnsScope : IDisposable
{
    private NetnsScope(string name)
    {
        Name = name;
    }

    public string Name { get; }

    public static NetnsScope Create()
    {
        var name = $"minuet-nt-{Guid.NewGuid().ToString("N")[..10]}";
        Shell.Run("ip", $"netns add {name}");
        var scope = new NetnsScope(name);
        scope.Exec("ip link set lo up");
        return scope;
    }

    /// <summary>Runs a command line inside the namespace; throws with its output when it fails.</summary>
    public string Exec(string commandLine) => Shell.Run("ip", $"netns exec {Name} {commandLine}");

    /// <summary>Runs a command inside the namespace and returns its exit code and output without throwing.</summary>
    public (int ExitCode, string Output) TryExec(string commandLine) => Shell.TryRun("ip", $"netns exec {Name} {commandLine}");

    /// <summary>Runs <paramref name="work"/> on a new thread that has entered the namespace; waits at most the timeout.</summary>
    public T Run<T>(Func<T> work, int timeoutMilliseconds = 30_000)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                var entered = NetworkNamespace.TryEnter(NetworkNamespace.PathOf(Name));
                if (!entered.IsSuccess)
                {
                    throw new InvalidOperationException(entered.ToString());
                }

                result = work();
            }
#pragma warning disable CA1031 // rethrown on the test thread below
            catch (Exception e)
#pragma warning restore CA1031
            {
                failure = e;
            }
        })
        {
            IsBackground = true,
            Name = $"netns {Name}",
        };
        thread.Start();
        if (!thread.Join(timeoutMilliseconds))
        {
            throw new TimeoutException($"work in {Name} did not finish in {timeoutMilliseconds} ms");
        }

        if (failure is not null)
        {
            throw new InvalidOperationException($"work in {Name} failed: {failure.Message}", failure);
        }

        return result;
    }

    public void Dispose()
    {
        Shell.TryRun("ip", $"netns del {Name}");
    }
}

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
