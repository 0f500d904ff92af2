using System.Globalization;

namespace Minuet.Platform.EdgeLb.Config;

/// <summary>
/// Applies marathon-lb's per-port labels (<c>HAPROXY_{n}_*</c>) to a service, checking every value; an invalid value is
/// a <see cref="Rejection"/> naming the label, so the app is left out rather than breaking the configuration.
/// </summary>
internal static class ServiceLabels
{
    private static readonly HashSet<string> Algorithms = new(StringComparer.Ordinal)
    {
        "roundrobin", "static-rr", "leastconn", "first", "source", "uri", "url_param", "hdr", "random", "rdp-cookie",
    };

    public static void Apply(EdgeService service, int index, IReadOnlyDictionary<string, string> labels, List<Rejection> errors)
    {
        string prefix = "HAPROXY_" + index.ToString(CultureInfo.InvariantCulture) + "_";
        foreach (var (key, raw) in labels)
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            string name = key[prefix.Length..];
            if (Templates.IsTemplate(name))
            {
                // Templates are multi-line by nature; they get their own checks.
                if (Templates.Set(service, name, raw) is { } templateProblem)
                {
                    errors.Add(new Rejection(service.AppId, key, templateProblem));
                }

                continue;
            }

            if (raw.AsSpan().IndexOfAny("\r\n\0") >= 0)
            {
                errors.Add(new Rejection(service.AppId, key, "must not contain line breaks or NUL"));
                continue;
            }

            string? problem = name switch
            {
                "GROUP" => SetGroups(service, raw),
                "VHOST" => SetVhost(service, raw),
                "PATH" => SetPath(service, raw),
                "PORT" => SetPort(service, raw),
                "MODE" => SetMode(service, raw),
                "BALANCE" => SetBalance(service, raw),
                "STICKY" => SetBool(raw, v => service.Sticky = v),
                "ENABLED" => SetBool(raw, v => service.Enabled = v),
                "REDIRECT_TO_HTTPS" => SetBool(raw, v => service.RedirectToHttps = v),
                "BACKEND_WEIGHT" => SetWeight(service, raw),
                "BIND_ADDR" => SetBindAddr(service, raw),
                "SSL_CERT" => NoSpaces(raw, v => service.SslCert = v),
                "BIND_OPTIONS" => SetBindOptions(service, raw),
                "AUTH" => SetAuth(service, raw),
                _ => null, // labels marathon-lb knows that Minuet does not act on (USE_HSTS, proxy paths, ...) are ignored
            };
            if (problem is not null)
            {
                errors.Add(new Rejection(service.AppId, key, problem));
            }
        }
    }

    private static string? SetGroups(EdgeService service, string raw)
    {
        var groups = raw.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (groups.Any(g => g.Any(char.IsWhiteSpace)))
        {
            return $"'{raw}' has a group name with spaces";
        }

        service.PortGroups = groups;
        return null;
    }

    private static string? SetVhost(EdgeService service, string raw)
    {
        string lower = raw.ToLowerInvariant();
        foreach (string host in lower.Split(','))
        {
            if (host.Length == 0 || host.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '*' or ':')))
            {
                return $"'{raw}' is not a comma-separated list of host names (letters, digits, '.', '-', '_', '*')";
            }
        }

        service.Hostname = lower;
        return null;
    }

    private static string? SetPath(EdgeService service, string raw)
    {
        if (raw.Trim().Length == 0 || raw.Contains('#', StringComparison.Ordinal))
        {
            return $"'{raw}' is not a path_beg expression (empty, or contains '#')";
        }

        service.Path = raw;
        if (service.BackendWeight == 0)
        {
            service.BackendWeight = 1; // marathon-lb: a path makes the app's ACLs sort before path-less ones
        }

        return null;
    }

    private static string? SetPort(EdgeService service, string raw)
    {
        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
        {
            return $"'{raw}' is outside 1-65535";
        }

        service.ServicePort = port;
        return null;
    }

    private static string? SetMode(EdgeService service, string raw)
    {
        string mode = raw.ToLowerInvariant();
        if (mode is not ("http" or "tcp"))
        {
            return $"'{raw}' is neither http nor tcp";
        }

        service.Mode = mode;
        return null;
    }

    private static string? SetBalance(EdgeService service, string raw)
    {
        string algorithm = raw.Split(' ', '(')[0];
        if (!Algorithms.Contains(algorithm) || raw.Contains('#', StringComparison.Ordinal))
        {
            return $"'{raw}' is not an HAProxy balance algorithm ({string.Join(", ", Algorithms.Order(StringComparer.Ordinal))})";
        }

        service.Balance = raw;
        return null;
    }

    private static string? SetWeight(EdgeService service, string raw)
    {
        if (!int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int weight))
        {
            return $"'{raw}' is not an integer";
        }

        service.BackendWeight = weight;
        return null;
    }

    private static string? SetBindAddr(EdgeService service, string raw)
    {
        if (raw != "*" && !System.Net.IPAddress.TryParse(raw, out _))
        {
            return $"'{raw}' is neither * nor an IP address";
        }

        service.BindAddr = raw;
        return null;
    }

    private static string? SetBindOptions(EdgeService service, string raw)
    {
        if (raw.Contains('#', StringComparison.Ordinal))
        {
            return $"'{raw}' contains '#'";
        }

        service.BindOptions = raw;
        return null;
    }

    private static string? SetAuth(EdgeService service, string raw)
    {
        var (auth, problem) = HttpAuth.Parse(raw);
        service.Auth = auth;
        return problem;
    }

    private static string? NoSpaces(string raw, Action<string> set)
    {
        if (raw.Length == 0 || raw.Any(char.IsWhiteSpace))
        {
            return $"'{raw}' must be one word without spaces";
        }

        set(raw);
        return null;
    }

    /// <summary>marathon-lb's <c>string_to_bool</c> words, but anything else is an error instead of silently false.</summary>
    private static string? SetBool(string raw, Action<bool> set)
    {
        switch (raw.Trim().ToLowerInvariant())
        {
            case "true" or "t" or "yes" or "y" or "1" or "on":
                set(true);
                return null;
            case "false" or "f" or "no" or "n" or "0" or "off" or "":
                set(false);
                return null;
            default:
                return $"'{raw}' is not a boolean (true/false)";
        }
    }
}
