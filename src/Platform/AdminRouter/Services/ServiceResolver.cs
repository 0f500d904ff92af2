namespace Minuet.Platform.AdminRouter.Services;

/// <summary>
/// Resolves the part of a path after <c>/service/</c> as later Admin Routers do: the first 1, 2, ... 10 segments
/// joined with <c>/</c> are tried in turn as a name (group paths), first against Marathon apps labelled
/// <c>DCOS_SERVICE_NAME</c>, then against the master's frameworks by id or name; the first match wins. Each segment
/// must be DC/OS's <c>[0-9a-zA-Z-._]+</c> and not a dot segment, so nothing else ever becomes a name.
/// </summary>
internal static class ServiceResolver
{
    public const int MaxSegments = 10;
    public const int MaxSegmentLength = 253;

    public static ServiceResolution Resolve(ServiceSnapshot snapshot, string afterPrefix, DateTimeOffset now, TimeSpan limit)
    {
        string[] segments = afterPrefix.Split('/');
        if (snapshot.MarathonAt is not { } marathonAt || now - marathonAt > limit || snapshot.MesosAt is not { } mesosAt || now - mesosAt > limit)
        {
            // Names are checked first so that garbage is a 404 even while the cache is stale.
            return IsName(segments[0]) ? ServiceResolution.Stale : ServiceResolution.NotFound;
        }

        string name = string.Empty;
        for (int k = 0; k < Math.Min(MaxSegments, segments.Length); k++)
        {
            if (!IsName(segments[k]))
            {
                break;
            }

            name = k == 0 ? segments[0] : name + "/" + segments[k];
            bool last = k == segments.Length - 1;
            string rest = "/" + string.Join('/', segments.Skip(k + 1));
            if (snapshot.MarathonServices.TryGetValue(name, out var target))
            {
                return new ServiceResolution(last ? ServiceOutcome.AddSlash : ServiceOutcome.Found, name, target, rest);
            }

            var framework = snapshot.Frameworks.FirstOrDefault(f => f.Id == name) ?? snapshot.Frameworks.FirstOrDefault(f => f.Name == name);
            if (framework is not null)
            {
                if (framework.WebuiUrl is null)
                {
                    return ServiceResolution.NotFound; // webui_url: null stops resolution
                }

                if (last)
                {
                    return new ServiceResolution(ServiceOutcome.AddSlash, name);
                }

                if (framework.WebuiUrl.Length == 0)
                {
                    return new ServiceResolution(ServiceOutcome.NeedsSrv, name, null, rest);
                }

                return FromWebui(framework) is { } webui ? new ServiceResolution(ServiceOutcome.Found, name, webui, rest) : ServiceResolution.NotFound;
            }
        }

        return ServiceResolution.NotFound;
    }

    internal static bool IsName(string segment)
    {
        if (segment.Length is 0 or > MaxSegmentLength || segment is "." or "..")
        {
            return false;
        }

        foreach (char c in segment)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>webui_url</c> with its host replaced by the host of the framework's <c>pid</c> (<c>name@host:port</c>), as 1.8 did.</summary>
    internal static Uri? FromWebui(FrameworkEntry framework)
    {
        if (!Uri.TryCreate(framework.WebuiUrl, UriKind.Absolute, out var webui) || webui.Scheme is not ("http" or "https"))
        {
            return null;
        }

        int at = framework.Pid.LastIndexOf('@');
        if (at >= 0)
        {
            string hostPort = framework.Pid[(at + 1)..];
            int colon = hostPort.LastIndexOf(':');
            string host = colon > 0 ? hostPort[..colon] : hostPort;
            if (host.Length > 0)
            {
                webui = new UriBuilder(webui) { Host = host }.Uri;
            }
        }

        string path = webui.AbsolutePath.EndsWith('/') ? webui.AbsolutePath : webui.AbsolutePath + "/";
        return new Uri(webui.GetLeftPart(UriPartial.Authority) + path);
    }
}
