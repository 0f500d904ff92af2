using System.CommandLine;
using System.Net;
using Minuet.Cli.Cluster;
using Minuet.Cli.Verbs.Up;

namespace Minuet.Cli.Verbs;

/// <summary>
/// <c>minuet up</c> (as root for DNS on :53 and VIPs): a whole cluster on this machine (master with the scheduler, agents, data plane) as child
/// processes, until Ctrl-C. Without root the L4 balancer is off and DNS moves to 127.0.0.1:8053 unless given.
/// </summary>
internal static class UpVerb
{
    public const string UnprivilegedDns = "127.0.0.1:8053";

    /// <summary>Admin Router's address without root (port 80 needs it), as DNS moves to 8053.</summary>
    public const string UnprivilegedAdminRouter = "127.0.0.1:8800";

    /// <summary>How to run up as root, said wherever root is needed (sudo is absent in containers and root shells).</summary>
    public const string AsRoot = "as root (`sudo ./minuet up` or, as root, `./minuet up`)";

    public static Command Create()
    {
        var flags = new UpFlags();
        var command = new Command("up", "Start a one-machine cluster (master, scheduler, agents, data plane) until Ctrl-C; run " + AsRoot + " for DNS on :53 and VIPs.");
        foreach (var option in flags.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var result = UpFlagsParser.Parse(parse, flags, Environment.IsPrivilegedProcess, FindOnPath);
            if (result.Options is not { } options)
            {
                foreach (var e in result.Errors)
                {
                    await error.WriteLineAsync($"minuet up: {e}").ConfigureAwait(false);
                }

                return 1;
            }

            if (result.Notice is { } notice)
            {
                await output.WriteLineAsync(notice).ConfigureAwait(false);
            }

            if (result.Masters > 1)
            {
                options = ClusterPlan.ChooseHa(options, result.Masters, IsFree);
            }

            return await new LocalCluster(options, output, error).RunAsync(cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>The full path of <paramref name="program"/> on PATH, or null.</summary>
    internal static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);

    /// <summary>Whether nothing listens on <paramref name="endPoint"/> (a bind succeeds).</summary>
    private static bool IsFree(IPEndPoint endPoint)
    {
        try
        {
            using var listener = new System.Net.Sockets.TcpListener(endPoint);
            listener.Start();
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }
}
