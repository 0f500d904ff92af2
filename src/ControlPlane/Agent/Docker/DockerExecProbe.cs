using Minuet.ControlPlane.Agent.Health;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Agent.Docker;

/// <summary>A COMMAND health check run inside the container (<c>docker exec</c>): passes on exit 0 within the timeout.</summary>
internal sealed class DockerExecProbe(DockerEngine engine, string container, List<string> argv) : IHealthProbe
{
    /// <summary><c>/bin/sh -c value</c> for shell checks; else value is the program and arguments its argv (argv[0] first, as Mesos).</summary>
    public static List<string> Argv(CommandCheck command)
    {
        if (command.Shell)
        {
            return ["/bin/sh", "-c", command.Value];
        }

        var argv = new List<string> { command.Value };
        argv.AddRange((command.Arguments ?? []).Skip(1));
        return argv;
    }

    public async Task<ProbeResult> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            var result = await engine.ExecAsync(container, argv, null, cancellationToken).ConfigureAwait(false);
            if (!result.Ok)
            {
                return ProbeResult.Fail($"exec in the container failed: {result.Error}");
            }

            var (code, output) = result.Value;
            return code == 0
                ? ProbeResult.Pass
                : ProbeResult.Fail(output.Length == 0 ? $"command exited with status {code}" : $"command exited with status {code}: {output}");
        }
        catch (OperationCanceledException)
        {
            return ProbeResult.Fail("command timed out");
        }
    }
}
