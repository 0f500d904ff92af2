using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Tests.Api.V1;

/// <summary>
/// A third-party Mesos framework library, unchanged: tobilg's <c>mesos-framework</c> from npm (written against
/// real Mesos) subscribes to the master, takes an offer, launches a task and sees it running.
/// </summary>
public class MesosFrameworkNpmTests
{
    private const string Package = "mesos-framework@0.5.3";

    [NodeFact]
    public async Task MesosFrameworkLibrary_SubscribesLaunchesAndSeesRunning()
    {
        var dir = Directory.CreateTempSubdirectory("minuet-npm-");
        try
        {
            var (installed, npmOutput) = await RunAsync("npm", $"install --no-audit --no-fund --no-save --prefix {dir.FullName} {Package}", dir.FullName, TimeSpan.FromMinutes(3));
            Assert.True(installed == 0, $"npm install {Package} failed ({installed}): {npmOutput}");
            var script = Path.Combine(dir.FullName, "check.js");
            Directory.CreateDirectory(Path.Combine(dir.FullName, "logs")); // the library's log file goes there
            File.Copy(Path.Combine(AppContext.BaseDirectory, "Api", "V1", "Js", "mesos-framework-check.js"), script);

            await using var f = await MasterHttpFixture.StartAsync();
            var agent = await f.RegisterAgentAsync();
            var start = new ProcessStartInfo("node", [script, "127.0.0.1", f.Master.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            {
                WorkingDirectory = dir.FullName,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var node = Process.Start(start)!;
            var stdout = node.StandardOutput.ReadToEndAsync();
            var stderr = node.StandardError.ReadToEndAsync();
            try
            {
                for (int i = 0; i < 600 && f.Launches.Count == 0 && !node.HasExited; i++)
                {
                    await Task.Delay(50);
                }

                var launch = f.Launches.Count > 0 ? f.Launches[0] : null;
                if (launch is null)
                {
                    Assert.Fail($"no launch reached the agent; node printed: {await OutputAsync(node, stdout, stderr)} {Steps(dir.FullName)}");
                }

                Assert.Equal("sleep 100", launch.Command.Value);
                Assert.Single(launch.Resources.Ports);

                var update = new TaskStatusUpdate { Uuid = Guid.NewGuid().ToString(), TaskId = launch.TaskId, FrameworkId = launch.FrameworkId, AgentId = agent, State = "TASK_RUNNING", Timestamp = 1700000000 };
                using var ack = await f.Http.PostAsJsonAsync(ProtocolRoutes.Status(agent), update, ProtocolJsonContext.Default.TaskStatusUpdate);
                Assert.Equal(HttpStatusCode.OK, ack.StatusCode);

                using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await node.WaitForExitAsync(deadline.Token);
                var output = Steps(dir.FullName);
                Assert.True(node.ExitCode == 0, $"node exited {node.ExitCode}: {output} {await stdout} {await stderr}");
                Assert.Contains("SUBSCRIBED " + launch.FrameworkId, output, StringComparison.Ordinal);
                Assert.Contains("ACCEPTED", output, StringComparison.Ordinal);
                Assert.Contains("RUNNING " + launch.TaskId, output, StringComparison.Ordinal);
            }
            finally
            {
                if (!node.HasExited)
                {
                    node.Kill();
                }
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static string Steps(string dir) => File.Exists(Path.Combine(dir, "steps.txt")) ? File.ReadAllText(Path.Combine(dir, "steps.txt")) : string.Empty;

    private static async Task<string> OutputAsync(Process node, Task<string> stdout, Task<string> stderr)
    {
        if (!node.HasExited)
        {
            node.Kill();
        }

        return $"{await stdout} {await stderr}";
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, string arguments, string cwd, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(program, arguments) { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, (await stdout) + (await stderr));
    }
}
