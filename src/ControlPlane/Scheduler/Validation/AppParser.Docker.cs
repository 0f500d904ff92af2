using System.Text.Json;
using Minuet.ControlPlane.Scheduler.Apps;

namespace Minuet.ControlPlane.Scheduler.Validation;

/// <summary><c>container.docker</c> (image, pull, privileged, parameters) and <c>container.volumes</c>.</summary>
internal static partial class AppParser
{
    /// <summary>
    /// Docker options an app may set: they change the process's identity, environment and metadata inside its own
    /// container, never the host's namespaces, devices or the network the scheduler assigned (<c>net</c>, <c>pid</c>,
    /// <c>cap-add</c>, <c>device</c>, <c>volume</c>, <c>name</c>, ... stay refused).
    /// </summary>
    public static readonly IReadOnlyList<string> AllowedDockerParameters = ["label", "env", "workdir", "user", "hostname", "add-host", "ulimit", "memory-swap"];

    private static DockerSpec? ParseDocker(JsonFields c, JsonFields? docker, string type)
    {
        if (docker is not { } d)
        {
            if (type == "DOCKER")
            {
                c.Errors.Add(c.At("docker"), "is required for a DOCKER container (docker.image names the image)");
            }

            return null;
        }

        var image = d.String("image");
        if (image is null)
        {
            c.Errors.Add(d.At("image"), "is required (the Docker image to run)");
        }
        else if (DockerImageReference.Problem(image) is { } problem)
        {
            c.Errors.Add(d.At("image"), problem);
        }

        if (d.Has("pullConfig"))
        {
            c.Errors.Add(d.At("pullConfig"), "pullConfig is not supported with Docker containerizer (no registry credentials here)");
        }

        if (d.Has("credential"))
        {
            c.Errors.Add(d.At("credential"), "registry credentials are not supported");
        }

        var parameters = new List<KeyValuePair<string, string>>();
        foreach (var (item, path) in d.Array("parameters"))
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                c.Errors.Add(path, "must be an object {key, value}");
                continue;
            }

            var p = new JsonFields(item, path, c.Errors);
            var key = p.String("key");
            var value = p.String("value") ?? string.Empty;
            if (key is null)
            {
                c.Errors.Add(p.At("key"), "is required");
                continue;
            }

            if (!AllowedDockerParameters.Contains(key, StringComparer.Ordinal))
            {
                c.Errors.Add(p.At("key"), $"Docker parameter '{key}' is not allowed (allowed: {string.Join(", ", AllowedDockerParameters)})");
                continue;
            }

            parameters.Add(new(key, value));
        }

        return image is null ? null : new DockerSpec(image, d.Bool("forcePullImage") ?? false, d.Bool("privileged") ?? false, parameters);
    }

    private static List<VolumeSpec> ParseVolumes(JsonFields c, bool runsDocker)
    {
        var volumes = new List<VolumeSpec>();
        var items = c.Array("volumes");
        if (items.Count > 0 && !runsDocker)
        {
            c.Errors.Add(c.At("volumes"), "volumes need a Docker image (container.docker.image): process tasks run in the agent's filesystem");
            return volumes;
        }

        foreach (var (item, path) in items)
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                c.Errors.Add(path, "must be an object {containerPath, hostPath, mode}");
                continue;
            }

            var v = new JsonFields(item, path, c.Errors);
            if (v.Has("persistent") || v.Has("external") || v.Has("secret"))
            {
                c.Errors.Add(path, "only host volumes (hostPath) are supported: persistent, external and secret volumes are not");
                continue;
            }

            var containerPath = v.String("containerPath");
            var hostPath = v.String("hostPath");
            var mode = v.String("mode") ?? "RW";
            if (string.IsNullOrWhiteSpace(containerPath) || !containerPath.StartsWith('/'))
            {
                c.Errors.Add(v.At("containerPath"), "must be an absolute path inside the container");
            }

            if (string.IsNullOrWhiteSpace(hostPath))
            {
                c.Errors.Add(v.At("hostPath"), "is required (the host directory or file to bind)");
            }

            if (mode is not "RW" and not "RO")
            {
                c.Errors.Add(v.At("mode"), $"'{mode}' is not one of RW, RO");
            }

            foreach (var text in new[] { containerPath, hostPath })
            {
                if (text is not null && (text.Contains(':', StringComparison.Ordinal) || text.Contains('\0', StringComparison.Ordinal)))
                {
                    c.Errors.Add(text == containerPath ? v.At("containerPath") : v.At("hostPath"), "must not contain ':' or NUL (Docker's bind syntax separates paths with ':')");
                }
            }

            volumes.Add(new VolumeSpec(containerPath ?? string.Empty, hostPath ?? string.Empty, mode));
        }

        return volumes;
    }

    /// <summary>Checks that depend on the cluster, not the JSON: privileged permission and fixed host ports agents offer.</summary>
    private static void Admit(JsonFields f, AppDefinition app, AppAdmission admission)
    {
        if (app.Container?.Docker is { Privileged: true } && !admission.AllowPrivileged)
        {
            f.Errors.Add(f.At("container") + "/docker/privileged",
                "privileged containers are not allowed: start the scheduler with --allow-privileged (minuet up --allow-privileged)");
        }

        if (!app.UsesPortMappings || app.Container is not { } c)
        {
            return;
        }

        var at = f.Child("container") is { } cf && !cf.Has("portMappings") && cf.Child("docker") is { } df && df.Has("portMappings")
            ? df.At("portMappings")
            : f.At("container") + "/portMappings";
        for (int i = 0; i < c.PortMappings.Count; i++)
        {
            if (c.PortMappings[i].HostPort is > 0 and { } port && !admission.OffersPort(port))
            {
                f.Errors.Add($"{at}/{i}/hostPort", $"host port {port} is outside the ports agents offer ({admission.DescribePorts()}); use 0 for any offered port");
            }
        }
    }
}
