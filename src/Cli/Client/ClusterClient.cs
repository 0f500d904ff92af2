using System.CommandLine;
using System.CommandLine.Parsing;

namespace Minuet.Cli.Client;

/// <summary>
/// How every client verb finds the cluster: through Admin Router. The router's URL is <c>--url</c>, else
/// <c>core.url</c> from the CLI config, else the running <c>minuet up</c>'s (endpoints.json), else the local one
/// (<see cref="DefaultUrl"/>). A direct flag such as <c>--marathon URL</c> still wins when given. Requests to a
/// router URL carry the token <c>minuet auth login</c> stored.
/// </summary>
internal static class ClusterClient
{
    public const string DefaultUrl = "http://127.0.0.1";
    public const string UrlOptionName = "--url";

    /// <summary>The paths Admin Router serves APIs under; a URL under one of them is a router URL and gets the token.</summary>
    private static readonly string[] RouterPrefixes = ["/marathon/", "/mesos/", "/mesos_dns/", "/package/", "/service/", "/acs/"];

    public static Option<string?> UrlOption() => new(UrlOptionName)
    {
        Description = $"Admin Router URL (default: core.url from `minuet config`, else the running `minuet up`'s, else {DefaultUrl}).",
    };

    /// <summary>Gives every command that has <paramref name="directOption"/> (e.g. <c>--marathon</c>) a <c>--url</c> too.</summary>
    public static void AddUrlOptions(Command command, string directOption)
    {
        if (command.Name == "admin-router")
        {
            return; // its --marathon is an upstream to serve, not a cluster to call
        }

        if (command.Options.Any(o => o.Name == directOption) && command.Options.All(o => o.Name != UrlOptionName))
        {
            command.Options.Add(UrlOption());
        }

        foreach (var sub in command.Subcommands)
        {
            AddUrlOptions(sub, directOption);
        }
    }

    /// <summary>The router's base URL (no trailing slash) for a command line: <c>--url</c>, config, up, default.</summary>
    public static string RouterUrl(string? explicitUrl)
    {
        if (explicitUrl is { Length: > 0 })
        {
            return explicitUrl.TrimEnd('/');
        }

        if (CliConfig.Load().Url is { Length: > 0 } configured)
        {
            return configured.TrimEnd('/');
        }

        return (Cluster.UpEndpoints.Find()?.AdminRouter ?? DefaultUrl).TrimEnd('/');
    }

    /// <summary>
    /// The default of a direct <c>--marathon</c> flag: Marathon through the router, or, when the running <c>up</c>
    /// has no router (started before there was one), its Marathon directly.
    /// </summary>
    public static string MarathonDefault(ArgumentResult result)
    {
        string? url = (result.Parent?.Parent as CommandResult)?.Children.OfType<OptionResult>()
            .FirstOrDefault(o => o.Option.Name == UrlOptionName)?.GetValueOrDefault<string?>();
        if (url is null && CliConfig.Load().Url is null && Cluster.UpEndpoints.Find() is { AdminRouter: null } up)
        {
            return up.Marathon;
        }

        return RouterUrl(url) + "/marathon";
    }

    /// <summary>The stored token when <paramref name="url"/> is an Admin Router API URL, else null (a token never goes elsewhere).</summary>
    public static string? TokenFor(Uri url) =>
        RouterPrefixes.Any(p => url.AbsolutePath.StartsWith(p, StringComparison.Ordinal)) ? CliConfig.Load().Token : null;

    /// <summary>The master through the router when <paramref name="marathon"/> is a router URL (<c>.../marathon/</c>), else null.</summary>
    public static string? MasterThrough(string marathon) =>
        marathon.TrimEnd('/') is var m && m.EndsWith("/marathon", StringComparison.Ordinal) ? m[..^"/marathon".Length] + "/mesos" : null;
}
