using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Minuet.DataPlane.Dns.Records;

namespace Minuet.DataPlane.Host;

/// <summary>
/// Validates <see cref="DataPlaneArguments"/> into <see cref="DataPlaneOptions"/>, collecting every error with the
/// option it concerns (<c>--ttl: must be a whole number of seconds from 0 to 2147483647, got "x"</c>).
/// </summary>
public static partial class DataPlaneOptionsParser
{
    public static (DataPlaneOptions? Options, IReadOnlyList<string> Errors) Parse(DataPlaneArguments args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var errors = new List<string>();
        var options = new DataPlaneOptions();

        int sources = (args.StateFile is null ? 0 : 1) + (args.StateUrl is null ? 0 : 1) + (args.MasterUrl is null ? 0 : 1)
            + (args.Masters is null ? 0 : 1);
        if (sources == 0)
        {
            errors.Add("--state-file/--state-url/--master-url/--masters: one of them is required (where cluster state comes from)");
        }
        else if (sources > 1)
        {
            errors.Add("--state-file/--state-url/--master-url/--masters: give one source, not several");
        }

        if (args.Masters is not null)
        {
            ParseMasters(args.Masters, errors, ref options);
        }

        if (args.MasterUrl is not null)
        {
            // One master, or every master of an HA cluster (the stream follows the leader; the list names masterN).
            if (Minuet.Coordination.MasterList.TryParse(args.MasterUrl, out var masters, out _)
                && !args.MasterUrl.Split(',').Any(part => part.Trim().Length > 0 && !part.Contains("://", StringComparison.Ordinal)))
            {
                options = options with { MasterUrl = masters[0], MasterUrls = masters };
                if (masters.Count > 1 && args.Masters is null)
                {
                    options = options with { Masters = [.. masters.Select(m => Sources.MasterListSource.FormatHostPort(m.Host.Trim('[', ']').ToLowerInvariant(), m.Port.ToString(CultureInfo.InvariantCulture)))] };
                }
            }
            else
            {
                errors.Add($"--master-url: must be the master's base http:// URL without a query (e.g. http://127.0.0.1:5050), or several " +
                           $"comma-separated (http://m1:5050,http://m2:5050), got \"{args.MasterUrl}\"");
            }
        }

        if (args.StateFile is not null)
        {
            if (args.StateFile.Trim().Length == 0)
            {
                errors.Add("--state-file: must be a path");
            }
            else
            {
                options = options with { StateFile = Path.GetFullPath(args.StateFile) };
            }
        }

        if (args.StateUrl is not null)
        {
            if (Uri.TryCreate(args.StateUrl, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
            {
                options = options with { StateUrl = url };
            }
            else
            {
                errors.Add($"--state-url: must be an absolute http:// or https:// URL, got \"{args.StateUrl}\"");
            }
        }

        if (args.Refresh is not null)
        {
            if (TryParseDuration(args.Refresh, out var refresh) && refresh >= TimeSpan.FromMilliseconds(10) && refresh <= TimeSpan.FromHours(1))
            {
                options = options with { Refresh = refresh };
            }
            else
            {
                errors.Add($"--refresh: must be a duration from 10ms to 1h such as 1s, 500ms or 2 (seconds), got \"{args.Refresh}\"");
            }
        }

        if (args.DnsListen is not null)
        {
            if (TryParseEndPoint(args.DnsListen, 53, out var dns))
            {
                options = options with { DnsListen = dns };
            }
            else
            {
                errors.Add($"--dns-listen: must be IP:PORT (e.g. 127.0.0.1:15353 or [::1]:53), got \"{args.DnsListen}\"");
            }
        }

        if (args.HttpListen is not null)
        {
            if (TryParseEndPoint(args.HttpListen, 61421, out var http))
            {
                options = options with { HttpListen = http };
            }
            else
            {
                errors.Add($"--http-listen: must be IP:PORT (e.g. 127.0.0.1:61421), got \"{args.HttpListen}\"");
            }
        }

        if (args.Domain is not null)
        {
            string domain = args.Domain.TrimEnd('.');
            if (DomainPattern().IsMatch(domain) && domain.Length <= 200)
            {
                options = options with { Domain = domain.ToLowerInvariant() };
            }
            else
            {
                errors.Add($"--domain: must be labels of letters, digits and dashes separated by dots (e.g. mesos), got \"{args.Domain}\"");
            }
        }

        if (args.Ttl is not null)
        {
            if (int.TryParse(args.Ttl, NumberStyles.None, CultureInfo.InvariantCulture, out int ttl))
            {
                options = options with { Ttl = ttl };
            }
            else
            {
                errors.Add($"--ttl: must be a whole number of seconds from 0 to 2147483647, got \"{args.Ttl}\"");
            }
        }

        if (args.NegativeTtl is not null)
        {
            string text = args.NegativeTtl.Trim();
            text = text.EndsWith('s') && !text.EndsWith("ms", StringComparison.Ordinal) ? text[..^1] : text;
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int negative))
            {
                options = options with { NegativeTtl = negative };
            }
            else
            {
                errors.Add($"--negative-ttl: must be a whole number of seconds from 0 to 2147483647 (e.g. 5 or 5s), got \"{args.NegativeTtl}\"");
            }
        }

        if (args.LabelSpec is not null)
        {
            switch (args.LabelSpec.Trim().ToLowerInvariant())
            {
                case "rfc1123": options = options with { LabelSpec = DnsLabelSpec.Rfc1123 }; break;
                case "rfc952": options = options with { LabelSpec = DnsLabelSpec.Rfc952 }; break;
                default: errors.Add($"--label-spec: must be rfc1123 or rfc952, got \"{args.LabelSpec}\""); break;
            }
        }

        if (args.IpSources is not null)
        {
            ParseIpSources(args.IpSources, errors, ref options);
        }

        var upstreams = new List<IPEndPoint>();
        foreach (string upstream in args.Upstreams)
        {
            if (TryParseEndPoint(upstream, 53, out var endPoint))
            {
                if (!upstreams.Contains(endPoint))
                {
                    upstreams.Add(endPoint);
                }
            }
            else
            {
                errors.Add($"--upstream: must be IP or IP:PORT (e.g. 10.0.0.2 or 10.0.0.2:53), got \"{upstream}\"");
            }
        }

        options = options with { Upstreams = upstreams, Forward = !args.NoForward };
        if (args.NoForward && upstreams.Count > 0)
        {
            errors.Add("--upstream/--no-forward: upstreams are pointless when forwarding is off; give one or the other");
        }

        if (args.L4lb is not null)
        {
            switch (args.L4lb.Trim().ToLowerInvariant())
            {
                case "on": options = options with { L4lb = true }; break;
                case "off": options = options with { L4lb = false }; break;
                default: errors.Add($"--l4lb: must be on or off, got \"{args.L4lb}\""); break;
            }
        }

        if (options.DnsListen.Equals(options.HttpListen) && options.DnsListen.Port != 0)
        {
            errors.Add("--dns-listen/--http-listen: must differ");
        }

        return errors.Count == 0 ? (options, errors) : (null, errors);
    }

    // Mesos-DNS's masters: host:port pairs, unique (records/config.go validateMasters).
    private static void ParseMasters(string text, List<string> errors, ref DataPlaneOptions options)
    {
        var masters = new List<string>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!Dns.Records.MesosPid.TrySplitHostPort(part, out var pid) || pid.Port == "0" || Uri.CheckHostName(pid.Host) == UriHostNameType.Unknown)
            {
                errors.Add($"--masters: each master must be HOST:PORT (e.g. 10.0.0.1:5050,10.0.0.2:5050 or [::1]:5050), got \"{part}\"");
                return;
            }

            string master = Sources.MasterListSource.FormatHostPort(pid.Host.ToLowerInvariant(), pid.Port);
            if (masters.Contains(master))
            {
                errors.Add($"--masters: \"{part}\" is listed twice");
                return;
            }

            masters.Add(master);
        }

        options = options with { Masters = masters };
    }

    private static void ParseIpSources(string text, List<string> errors, ref DataPlaneOptions options)
    {
        var sources = new List<IpSource>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!IpSources.TryParse(part, out var source))
            {
                errors.Add($"--ip-sources: unknown source \"{part}\" (known: netinfo, mesos, docker, host)");
                return;
            }

            if (sources.Contains(source))
            {
                errors.Add($"--ip-sources: \"{part}\" is listed twice");
                return;
            }

            sources.Add(source);
        }

        options = options with { IpSources = sources };
    }

    /// <summary><c>1s</c>, <c>500ms</c>, <c>2m</c>, or a plain number of seconds.</summary>
    internal static bool TryParseDuration(string text, out TimeSpan value)
    {
        value = default;
        text = text.Trim();
        (string number, double scale) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.OrdinalIgnoreCase) => (text[..^2], 0.001),
            _ when text.EndsWith('s') || text.EndsWith('S') => (text[..^1], 1.0),
            _ when text.EndsWith('m') || text.EndsWith('M') => (text[..^1], 60.0),
            _ when text.EndsWith('h') || text.EndsWith('H') => (text[..^1], 3600.0),
            _ => (text, 1.0),
        };
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double amount) || double.IsNaN(amount))
        {
            return false;
        }

        value = TimeSpan.FromSeconds(amount * scale);
        return true;
    }

    /// <summary><c>IP:PORT</c>, <c>[IPv6]:PORT</c>, or a bare IP with <paramref name="defaultPort"/>.</summary>
    internal static bool TryParseEndPoint(string text, int defaultPort, out IPEndPoint endPoint)
    {
        endPoint = null!;
        text = text.Trim();
        if (IPAddress.TryParse(text, out var bare) && !text.Contains("]:", StringComparison.Ordinal)
            && (bare.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 || !text.Contains(':', StringComparison.Ordinal)))
        {
            endPoint = new IPEndPoint(bare, defaultPort);
            return true;
        }

        if (!IPEndPoint.TryParse(text, out var parsed) || parsed is null)
        {
            return false;
        }

        endPoint = parsed;
        return true;
    }

    [GeneratedRegex("^[a-zA-Z0-9-]+(\\.[a-zA-Z0-9-]+)*$")]
    private static partial Regex DomainPattern();
}
