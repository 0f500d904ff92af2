namespace Minuet.ControlPlane.Agent.Files;

/// <summary>How a files API path resolved (Mesos's <c>Result&lt;string&gt;</c> of <c>FilesProcess::resolve</c>).</summary>
internal readonly record struct Resolved(string? Path, string? Error)
{
    public bool NotFound => Path is null && Error is null;
}

/// <summary>
/// The files the agent's <c>/files</c> API may serve: directories attached under a virtual path (here each is
/// attached under its own real path, as Mesos attaches executor sandboxes). A request path resolves by its longest
/// attached prefix; the rest is joined and canonicalised with realpath, and a result outside the attached directory
/// (<c>..</c>, a symlink out) is an error (400), as in Mesos; paths that do not exist or are not attached are 404.
/// </summary>
internal sealed class SandboxFiles(Func<IReadOnlyDictionary<string, string>> attached)
{
    /// <summary>Virtual path → real directory.</summary>
    public IReadOnlyDictionary<string, string> Attached => attached();

    public Resolved Resolve(string path)
    {
        var map = attached();
        var tokens = path.TrimEnd('/').Split('/').ToList();
        string suffix = string.Empty;
        while (tokens.Count > 0)
        {
            string prefix = string.Join('/', tokens);
            if (prefix.Length == 0 || !map.TryGetValue(prefix, out var root))
            {
                suffix = suffix.Length == 0 ? tokens[^1] : tokens[^1] + "/" + suffix;
                tokens.RemoveAt(tokens.Count - 1);
                continue;
            }

            string? realRoot = FilesInterop.RealPath(root);
            if (realRoot is null)
            {
                return default;
            }

            string joined = suffix.Length == 0 ? realRoot : realRoot + "/" + suffix;
            string? real = FilesInterop.RealPath(joined);
            if (real is null)
            {
                return default;
            }

            if (real != realRoot && !real.StartsWith(realRoot + "/", StringComparison.Ordinal))
            {
                return new Resolved(null, $"'{joined}' is inaccessible");
            }

            return new Resolved(real, null);
        }

        return default;
    }
}
