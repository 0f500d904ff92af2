using System.Diagnostics;

namespace Minuet.DataPlane.Tests.L4lb.Kernel;

/// <summary>A throwaway network namespace for kernel tests (`ip netns add`), deleted on dispose.</summary>
internal sealed class KernelNetns : IDisposable
{
    private KernelNetns(string name) => Name = name;

    public string Name { get; }

    public static KernelNetns Create()
    {
        var ns = new KernelNetns($"minuet-l4k-{Guid.NewGuid().ToString("N")[..8]}");
        Run("ip", $"netns add {ns.Name}");
        ns.Exec("ip link set lo up");
        return ns;
    }

    public string Exec(string commandLine) => Run("ip", $"netns exec {Name} {commandLine}");

    /// <summary>Runs work on a fresh thread that entered the namespace (sockets opened there stay in it).</summary>
    public T Run<T>(Func<T> work)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                var entered = Minuet.Native.Namespaces.NetworkNamespace.TryEnter($"/var/run/netns/{Name}");
                if (!entered.IsSuccess)
                {
                    throw new InvalidOperationException(entered.ToString());
                }

                result = work();
            }
#pragma warning disable CA1031 // rethrown on the test thread
            catch (Exception e)
#pragma warning restore CA1031
            {
                failure = e;
            }
        });
        thread.Start();
        if (!thread.Join(TimeSpan.FromSeconds(60)))
        {
            throw new TimeoutException($"work in {Name} took over 60 s");
        }

        return failure is null ? result : throw new InvalidOperationException(failure.Message, failure);
    }

    public void Dispose() => TryRun("ip", $"netns del {Name}");

    public static string Run(string file, string arguments)
    {
        var (code, output) = TryRun(file, arguments);
        return code == 0 ? output : throw new InvalidOperationException($"`{file} {arguments}` exited {code}: {output}");
    }

    public static (int Code, string Output) TryRun(string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(30_000))
        {
            process.Kill(entireProcessTree: true);
            return (-1, "timed out");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
