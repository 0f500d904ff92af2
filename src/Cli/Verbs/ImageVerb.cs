using System.CommandLine;
using Minuet.Cli.Docker;
using Minuet.ControlPlane.Scheduler.Validation;

namespace Minuet.Cli.Verbs;

/// <summary>
/// <c>minuet image import-busybox [--tag minuet/busybox:latest] [--docker-socket PATH] [--busybox /bin/busybox]</c>:
/// makes a Docker image without a registry, from Debian's static busybox, through the Engine API (no docker CLI).
/// </summary>
internal static class ImageVerb
{
    public const string DefaultTag = "minuet/busybox:latest";

    public static Command Create()
    {
        var image = new Command("image", "Docker images for apps (no registry needed).");
        image.Subcommands.Add(ImportBusybox());
        return image;
    }

    private static Command ImportBusybox()
    {
        var tag = new Option<string>("--tag") { Description = "Image name to create.", DefaultValueFactory = _ => DefaultTag };
        var socket = new Option<string?>("--docker-socket") { Description = $"Docker Engine socket (default: DOCKER_HOST, else {DockerEngine.DefaultSocket}; `minuet up` uses <state-dir>/docker/docker.sock when it starts its own dockerd)." };
        var busybox = new Option<string>("--busybox") { Description = "The static busybox binary to package (Debian's busybox-static).", DefaultValueFactory = _ => BusyboxRootfs.DefaultBinary };
        var command = new Command("import-busybox", "Build a rootfs from a static busybox and its applet links and import it as a Docker image (what `docker import` does).");
        command.Options.Add(tag);
        command.Options.Add(socket);
        command.Options.Add(busybox);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            string name = parse.GetValue(tag)!;
            var errors = new List<string>();
            if (DockerImageReference.Problem(name) is { } badTag)
            {
                errors.Add($"--tag: {badTag}");
            }
            else if (name.Contains('@', StringComparison.Ordinal))
            {
                errors.Add($"--tag: '{name}' has a digest; an import is named by repository and tag");
            }

            var (path, badSocket) = DockerEngine.Resolve(parse.GetValue(socket), Environment.GetEnvironmentVariable("DOCKER_HOST"));
            if (badSocket is not null)
            {
                errors.Add($"--docker-socket: {badSocket}");
            }

            string binary = parse.GetValue(busybox)!;
            if (BusyboxRootfs.Problem(binary) is { } badBinary)
            {
                errors.Add($"--busybox: {badBinary}");
            }

            if (errors.Count > 0)
            {
                errors.ForEach(e => error.WriteLine($"minuet image import-busybox: {e}"));
                return 1;
            }

            using var engine = new DockerEngine(path!, TimeSpan.FromMinutes(2));
            if (!await engine.PingAsync(cancellationToken).ConfigureAwait(false))
            {
                await error.WriteLineAsync($"minuet image import-busybox: no Docker daemon answers at {path} (start one, or run `minuet up`, which starts dockerd when docker.io is installed, and pass --docker-socket <state-dir>/docker/docker.sock)").ConfigureAwait(false);
                return 1;
            }

            var (repository, version) = Split(name);
            using var tarball = new MemoryStream();
            int links = await BusyboxRootfs.WriteAsync(binary, tarball, cancellationToken).ConfigureAwait(false);
            tarball.Position = 0;
            long size = tarball.Length;
            if (await engine.ImportAsync(tarball, repository, version, cancellationToken).ConfigureAwait(false) is { } failure)
            {
                await error.WriteLineAsync($"minuet image import-busybox: the daemon at {path} refused the import: {failure}").ConfigureAwait(false);
                return 1;
            }

            string id = await engine.ImageIdAsync($"{repository}:{version}", cancellationToken).ConfigureAwait(false) ?? "?";
            await output.WriteLineAsync($"Imported {repository}:{version} ({id}) from {binary} with {links} applet links ({size / 1024} KiB) into {path}").ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    /// <summary><c>registry:5000/a/b:tag</c> → (<c>registry:5000/a/b</c>, <c>tag</c>); no tag → <c>latest</c>.</summary>
    public static (string Repository, string Tag) Split(string name)
    {
        int colon = name.LastIndexOf(':');
        return colon > name.LastIndexOf('/') ? (name[..colon], name[(colon + 1)..]) : (name, "latest");
    }
}
