using Minuet.ControlPlane.Agent.Docker;
using Minuet.ControlPlane.Agent.Tasks;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Agent.Runtime;

/// <summary>
/// Launching Docker tasks: check the daemon, build the create body, find (or pull) the image, create the
/// container named and labelled after the task, start it, read its address, report RUNNING and watch it.
/// </summary>
internal sealed partial class AgentRuntime
{
    private async Task StartDockerAsync(AgentTask task)
    {
        var launch = task.Launch;
        try
        {
            string sandbox = _store.Sandbox(task.TaskId);
            Directory.CreateDirectory(sandbox);
            Directory.CreateDirectory(_store.TaskMetaDir(task.TaskId));
            if (_docker is null)
            {
                await FailLaunchAsync(task, "this agent has no Docker containerizer (start it with --containerizers mesos,docker)").ConfigureAwait(false);
                return;
            }

            if (await _docker.CheckAsync(_stopping.Token).ConfigureAwait(false) is { } unavailable)
            {
                await FailLaunchAsync(task, unavailable).ConfigureAwait(false);
                return;
            }

            var (body, specError) = DockerRunSpec.Build(launch, task.ContainerId, _options.Hostname, sandbox, _docker.Options.AllowPrivileged);
            if (body is null)
            {
                await FailLaunchAsync(task, $"Failed to create docker run options: {specError}").ConfigureAwait(false);
                return;
            }

            if (await EnsureImageAsync(launch.Container!.Docker!) is { } imageError)
            {
                await FailLaunchAsync(task, imageError).ConfigureAwait(false);
                return;
            }

            if (KillRequestedBeforeStart(task))
            {
                RecordTerminal(task, TaskState.Killed, TaskStatusReasons.TaskKilledDuringLaunch, "Task killed before it started", exitCode: null);
                return;
            }

            var engine = _docker.Engine;
            string name = DockerNames.ContainerName(task.TaskId);
            var created = await engine.CreateContainerAsync(name, body, _stopping.Token).ConfigureAwait(false);
            if (created.Status == 409)
            {
                // A container of an earlier run with this task id (never removed): it is not this launch's, replace it.
                await engine.RemoveContainerAsync(name, _stopping.Token).ConfigureAwait(false);
                created = await engine.CreateContainerAsync(name, body, _stopping.Token).ConfigureAwait(false);
            }

            if (!created.Ok)
            {
                await FailDockerLaunchAsync(task, $"Failed to create the container: {created.Error}", created).ConfigureAwait(false);
                return;
            }

            string id = created.Value!.Id;
            lock (task.Gate)
            {
                task.DockerContainer = id;
                task.DockerNetwork = body.NetworkingConfig?.EndpointsConfig.Keys.FirstOrDefault();
                _store.SaveTask(task.ToCheckpoint());
            }

            var started = await engine.StartContainerAsync(id, _stopping.Token).ConfigureAwait(false);
            if (!started.Ok)
            {
                await engine.RemoveContainerAsync(id, CancellationToken.None).ConfigureAwait(false);
                await FailDockerLaunchAsync(task, $"Failed to start the container: {started.Error}", started).ConfigureAwait(false);
                return;
            }

            var inspect = await engine.InspectContainerAsync(id, _stopping.Token).ConfigureAwait(false);
            bool killNow;
            lock (task.Gate)
            {
                task.IpAddress = inspect.Ok ? ContainerIp(inspect.Value!) : null;
                task.StartedAt = Now();
                Enqueue(task, TaskState.Running, reason: null, message: $"Container {name} ({id[..Math.Min(12, id.Length)]}) is running");
                killNow = task.KillRequested;
            }

            LogDockerStarted(_logger, task.TaskId, name, id);
            if (killNow)
            {
                BeginDockerKill(task);
            }

            StartHealthCheck(task);
            Track(() => WatchContainerAsync(task, id, 0));
        }
        catch (IOException e)
        {
            await FailLaunchAsync(task, $"could not prepare the sandbox: {e.Message}").ConfigureAwait(false);
        }
        catch (UnauthorizedAccessException e)
        {
            await FailLaunchAsync(task, $"could not prepare the sandbox: {e.Message}").ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Whatever else goes wrong, the task must still get its one terminal update.
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            await FailLaunchAsync(task, $"launch failed: {e.Message}").ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Without <c>force_pull_image</c> a local image is used as is; a missing one (or any, when forced) is pulled.
    /// No registry reachable: the task fails naming the image.
    /// </summary>
    private async Task<string?> EnsureImageAsync(DockerInfo docker)
    {
        var engine = _docker!.Engine;
        if (!docker.ForcePullImage)
        {
            var local = await engine.InspectImageAsync(docker.Image, _stopping.Token).ConfigureAwait(false);
            if (local.Ok)
            {
                return null;
            }

            if (!local.NotFound)
            {
                return $"cannot inspect image '{docker.Image}': {local.Error}";
            }
        }

        LogPulling(_logger, docker.Image);
        var pulled = await engine.PullImageAsync(docker.Image, _stopping.Token).ConfigureAwait(false);
        if (pulled.Ok)
        {
            return null;
        }

        return docker.ForcePullImage
            ? $"image '{docker.Image}' could not be pulled (force_pull_image is set): {pulled.Error}"
            : $"image '{docker.Image}' is not present on this agent and cannot be pulled: {pulled.Error}";
    }

    private static bool KillRequestedBeforeStart(AgentTask task)
    {
        lock (task.Gate)
        {
            return task.KillRequested;
        }
    }

    private async Task FailDockerLaunchAsync<T>(AgentTask task, string message, DockerResult<T> result)
    {
        if (result.Unreachable)
        {
            _docker!.ReportUnreachable(result.Error!);
        }

        await FailLaunchAsync(task, message).ConfigureAwait(false);
    }

    /// <summary>The container's address on its network (Mesos reads <c>Networks[NetworkMode].IPAddress</c>); null on host/none.</summary>
    internal static string? ContainerIp(ContainerInspect inspect)
    {
        var settings = inspect.NetworkSettings;
        if (settings is null)
        {
            return null;
        }

        string? mode = inspect.HostConfig?.NetworkMode;
        if (mode is "host" or "none")
        {
            return null;
        }

        if (mode is not null && settings.Networks is { } networks)
        {
            string key = mode == "default" ? "bridge" : mode;
            if (networks.TryGetValue(key, out var endpoint) && !string.IsNullOrEmpty(endpoint.IPAddress))
            {
                return endpoint.IPAddress;
            }
        }

        return string.IsNullOrEmpty(settings.IPAddress)
            ? settings.Networks?.Values.Select(n => n.IPAddress).FirstOrDefault(ip => !string.IsNullOrEmpty(ip))
            : settings.IPAddress;
    }
}
